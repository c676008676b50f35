using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace ApicastSidecarProxy.Configuration;

/// <summary>A domain-name NO_PROXY entry: matches the domain itself and every subdomain.</summary>
/// <param name="Domain">Lower-case domain without leading or trailing dot.</param>
/// <param name="Port">Required port, or 0 for any port.</param>
internal readonly record struct NoProxyDomainEntry(string Domain, int Port)
{
    public bool Matches(ReadOnlySpan<char> host, int port)
    {
        if (Port != 0 && Port != port)
        {
            return false;
        }

        var domain = Domain.AsSpan();
        if (host.Length == domain.Length)
        {
            return host.Equals(domain, StringComparison.OrdinalIgnoreCase);
        }

        // Subdomain: the suffix must start at a label boundary ("a.example.com", not "notexample.com").
        return host.Length > domain.Length
            && host[host.Length - domain.Length - 1] == '.'
            && host.EndsWith(domain, StringComparison.OrdinalIgnoreCase);
    }

    public override string ToString() =>
        Port == 0 ? Domain : string.Create(CultureInfo.InvariantCulture, $"{Domain}:{Port}");
}

/// <summary>
/// An IP NO_PROXY entry: a single address (full-length prefix) or a CIDR range.
/// Addresses are held as big-endian integers: IPv4 in the low 32 bits, IPv6 in all 128.
/// IPv4-mapped IPv6 addresses are normalised to IPv4 on both sides.
/// </summary>
internal readonly record struct NoProxyIpEntry(bool IsIPv6, UInt128 Network, int PrefixLength, int Port)
{
    public UInt128 Mask { get; } = PrefixMask(IsIPv6, PrefixLength);

    public bool Matches(in IpValue host, int port) =>
        (Port == 0 || Port == port)
        && host.IsIPv6 == IsIPv6
        && (host.Value & Mask) == Network;

    public static UInt128 PrefixMask(bool isIPv6, int prefixLength)
    {
        if (prefixLength == 0)
        {
            return UInt128.Zero;
        }

        return isIPv6
            ? UInt128.MaxValue << (128 - prefixLength)
            : (UInt128)(uint.MaxValue << (32 - prefixLength));
    }

    public override string ToString()
    {
        var fullLength = IsIPv6 ? 128 : 32;
        var address = IpValue.Format(IsIPv6, Network);
        var prefix = PrefixLength == fullLength
            ? string.Empty
            : "/" + PrefixLength.ToString(CultureInfo.InvariantCulture);
        if (Port == 0)
        {
            return address + prefix;
        }

        var port = ":" + Port.ToString(CultureInfo.InvariantCulture);
        return IsIPv6 ? "[" + address + "]" + prefix + port : address + prefix + port;
    }
}

/// <summary>A parsed IP address as an integer plus its family (IPv4-mapped IPv6 folded to IPv4).</summary>
internal readonly record struct IpValue(bool IsIPv6, UInt128 Value)
{
    /// <summary>
    /// Strict IPv4 dotted quad (four decimal parts 0-255, no leading zeros), like inet_pton.
    /// Unlike <see cref="IPAddress.TryParse(ReadOnlySpan{char}, out IPAddress?)"/> it rejects
    /// shorthand ("127.1") and octal/hex forms, which are treated as names instead.
    /// </summary>
    public static bool TryParseIPv4(ReadOnlySpan<char> text, out IpValue value)
    {
        value = default;
        uint result = 0;
        var parts = 0;
        var i = 0;
        while (true)
        {
            var start = i;
            uint part = 0;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                part = (part * 10) + (uint)(text[i] - '0');
                i++;
                if (i - start > 3)
                {
                    return false;
                }
            }

            var length = i - start;
            if (length == 0 || part > 255 || (length > 1 && text[start] == '0'))
            {
                return false;
            }

            result = (result << 8) | part;
            parts++;
            if (i == text.Length)
            {
                break;
            }

            if (text[i] != '.' || parts == 4)
            {
                return false;
            }

            i++;
        }

        if (parts != 4)
        {
            return false;
        }

        value = new IpValue(false, result);
        return true;
    }

    /// <summary>Parses an IPv6 literal (no brackets). The zone/scope id, if any, is ignored.</summary>
    public static bool TryParseIPv6(ReadOnlySpan<char> text, out IpValue value)
    {
        value = default;
        if (!IPAddress.TryParse(text, out var address) || address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return false;
        }

        Span<byte> bytes = stackalloc byte[16];
        if (!address.TryWriteBytes(bytes, out var written) || written != 16)
        {
            return false;
        }

        value = FromIPv6Bytes(bytes);
        return true;
    }

    private static IpValue FromIPv6Bytes(ReadOnlySpan<byte> bytes)
    {
        var v = BinaryPrimitives.ReadUInt128BigEndian(bytes);
        return IsIPv4Mapped(v)
            ? new IpValue(false, v & uint.MaxValue)
            : new IpValue(true, v);
    }

    /// <summary>::ffff:a.b.c.d</summary>
    public static bool IsIPv4Mapped(UInt128 v) => (v >> 32) == 0xFFFF;

    public static string Format(bool isIPv6, UInt128 value)
    {
        Span<byte> bytes = stackalloc byte[16];
        if (!isIPv6)
        {
            BinaryPrimitives.WriteUInt32BigEndian(bytes, (uint)value);
            return new IPAddress(bytes[..4]).ToString();
        }

        BinaryPrimitives.WriteUInt128BigEndian(bytes, value);
        return new IPAddress(bytes).ToString();
    }
}
