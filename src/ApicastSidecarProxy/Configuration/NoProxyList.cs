using System.Globalization;

namespace ApicastSidecarProxy.Configuration;

/// <summary>
/// A parsed NO_PROXY value with curl's semantics: hosts that match bypass the forward proxy.
/// </summary>
/// <remarks>
/// <para>Entries are comma-separated; whitespace around entries and empty entries are ignored.</para>
/// <list type="bullet">
/// <item><c>*</c> matches every host.</item>
/// <item><c>example.com</c>, <c>.example.com</c> (and <c>*.example.com</c>) match <c>example.com</c> and any
/// subdomain, never a mere suffix such as <c>notexample.com</c>. Case-insensitive; trailing dots ignored.</item>
/// <item>IPv4 / IPv6 literals (IPv6 with or without brackets) match the same address; IPv4-mapped IPv6
/// addresses are treated as their IPv4 address. CIDR ranges (<c>10.0.0.0/8</c>, <c>fd00::/8</c>) match IP
/// literals inside the range. Names are never resolved and domain entries never match IP literals.</item>
/// <item><c>host:port</c>, <c>[v6]:port</c>, <c>1.2.3.4:443</c> restrict the entry to that port.</item>
/// </list>
/// <para>All parsing happens in <see cref="Parse"/>; <see cref="Matches"/> does not allocate except when the
/// host is an IPv6 literal and the list has IP entries.</para>
/// </remarks>
public sealed class NoProxyList
{
    private readonly NoProxyDomainEntry[] _domains;
    private readonly NoProxyIpEntry[] _ips;
    private readonly bool _matchAll;
    private readonly string _display;

    private NoProxyList(NoProxyDomainEntry[] domains, NoProxyIpEntry[] ips, bool matchAll, string display)
    {
        _domains = domains;
        _ips = ips;
        _matchAll = matchAll;
        _display = display;
    }

    /// <summary>A list that matches nothing (every request goes through the proxy).</summary>
    public static NoProxyList Empty { get; } = new([], [], matchAll: false, display: string.Empty);

    /// <summary>True when the list has no entries and therefore matches nothing.</summary>
    public bool IsEmpty => !_matchAll && _domains.Length == 0 && _ips.Length == 0;

    /// <summary>Parses a NO_PROXY value. Null, empty or blank values give <see cref="Empty"/>.</summary>
    /// <exception cref="FormatException">An entry is invalid; the message names that entry.</exception>
    public static NoProxyList Parse(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return Empty;
        }

        var domains = new List<NoProxyDomainEntry>();
        var ips = new List<NoProxyIpEntry>();
        var display = new List<string>();
        var matchAll = false;

        foreach (var raw in value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (raw == "*")
            {
                matchAll = true;
                display.Add("*");
                continue;
            }

            var entry = ParseEntry(raw);
            if (entry.Domain is { } domain)
            {
                domains.Add(domain);
                display.Add(domain.ToString());
            }
            else
            {
                ips.Add(entry.Ip);
                display.Add(entry.Ip.ToString());
            }
        }

        if (display.Count == 0)
        {
            return Empty;
        }

        return new NoProxyList([.. domains], [.. ips], matchAll, string.Join(',', display));
    }

    /// <summary>
    /// True when a request to <paramref name="host"/>:<paramref name="port"/> should bypass the proxy.
    /// <paramref name="host"/> may be a DNS name or an IP literal (IPv6 with or without brackets).
    /// </summary>
    public bool Matches(string host, int port)
    {
        ArgumentNullException.ThrowIfNull(host);
        if (_matchAll)
        {
            return true;
        }

        var name = host.AsSpan();
        if (name.Length >= 2 && name[0] == '[' && name[^1] == ']')
        {
            name = name[1..^1];
        }
        else if (name.Length > 0 && name[^1] == '.')
        {
            name = name[..^1];
        }

        if (name.IsEmpty)
        {
            return false;
        }

        if (name.Contains(':'))
        {
            // Only an IPv6 literal can contain a colon; it never matches a domain entry.
            return _ips.Length != 0 && IpValue.TryParseIPv6(name, out var v6) && MatchesIp(v6, port);
        }

        if (IpValue.TryParseIPv4(name, out var v4))
        {
            return MatchesIp(v4, port);
        }

        foreach (var entry in _domains)
        {
            if (entry.Matches(name, port))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The normalized, comma-separated list (empty string for an empty list).</summary>
    public override string ToString() => _display;

    private bool MatchesIp(in IpValue address, int port)
    {
        foreach (var entry in _ips)
        {
            if (entry.Matches(address, port))
            {
                return true;
            }
        }

        return false;
    }

    private static (NoProxyDomainEntry? Domain, NoProxyIpEntry Ip) ParseEntry(string entry)
    {
        var text = entry.AsSpan();
        ReadOnlySpan<char> host;
        ReadOnlySpan<char> prefixText = default;
        var hasPrefix = false;
        var port = 0;
        var bracketed = text[0] == '[';

        if (bracketed)
        {
            // [v6], [v6]:port, [v6]/prefix, [v6]/prefix:port (the prefix may also sit inside the brackets).
            var close = text.IndexOf(']');
            if (close < 0)
            {
                throw Invalid(entry, "missing ']'");
            }

            host = text[1..close];
            var rest = text[(close + 1)..];
            if (!rest.IsEmpty && rest[0] == '/')
            {
                var colon = rest.IndexOf(':');
                prefixText = colon < 0 ? rest[1..] : rest[1..colon];
                rest = colon < 0 ? ReadOnlySpan<char>.Empty : rest[colon..];
                hasPrefix = true;
            }

            if (!rest.IsEmpty)
            {
                if (rest[0] != ':')
                {
                    throw Invalid(entry, "unexpected text after ']'");
                }

                port = ParsePort(entry, rest[1..]);
            }
        }
        else
        {
            var colon = text.IndexOf(':');
            if (colon >= 0 && text.LastIndexOf(':') == colon)
            {
                // Exactly one colon: name:port or a.b.c.d:port. More than one is a bare IPv6 literal.
                host = text[..colon];
                port = ParsePort(entry, text[(colon + 1)..]);
            }
            else
            {
                host = text;
            }
        }

        var slash = host.IndexOf('/');
        if (slash >= 0)
        {
            if (hasPrefix)
            {
                throw Invalid(entry, "more than one CIDR prefix length");
            }

            prefixText = host[(slash + 1)..];
            host = host[..slash];
            hasPrefix = true;
        }

        if (!bracketed && host.Length > 1 && host[^1] == '.')
        {
            host = host[..^1];
        }

        if (host.IsEmpty)
        {
            throw Invalid(entry, "missing host");
        }

        IpValue address;
        var parsedAsIPv6 = false;
        if (IpValue.TryParseIPv4(host, out address))
        {
            if (bracketed)
            {
                throw Invalid(entry, "brackets are only allowed around IPv6 addresses");
            }
        }
        else if (bracketed || host.Contains(':'))
        {
            if (host.Contains('%'))
            {
                throw Invalid(entry, "IPv6 zone/scope ids are not supported");
            }

            if (!IpValue.TryParseIPv6(host, out address))
            {
                throw Invalid(entry, "not a valid IPv6 address");
            }

            parsedAsIPv6 = true;
        }
        else if (IsDigitsAndDots(host))
        {
            throw Invalid(entry, "not a valid IPv4 address (expected four decimal parts 0-255)");
        }
        else
        {
            if (hasPrefix)
            {
                throw Invalid(entry, "a CIDR prefix length requires an IP address");
            }

            return (new NoProxyDomainEntry(NormalizeDomain(entry, host), port), default);
        }

        var maxPrefix = parsedAsIPv6 ? 128 : 32;
        var prefixLength = maxPrefix;
        if (hasPrefix
            && (!int.TryParse(prefixText, NumberStyles.None, CultureInfo.InvariantCulture, out prefixLength)
                || prefixLength > maxPrefix))
        {
            throw Invalid(entry, $"CIDR prefix length must be a number between 0 and {maxPrefix}");
        }

        if (parsedAsIPv6 && !address.IsIPv6)
        {
            // IPv4-mapped (::ffff:a.b.c.d): keep as IPv4 so it matches IPv4 hosts, unless the range is wider
            // than the mapped block.
            if (prefixLength >= 96)
            {
                prefixLength -= 96;
            }
            else
            {
                address = new IpValue(true, address.Value | ((UInt128)0xFFFF << 32));
            }
        }

        var network = address.Value & NoProxyIpEntry.PrefixMask(address.IsIPv6, prefixLength);
        return (null, new NoProxyIpEntry(address.IsIPv6, network, prefixLength, port));
    }

    private static string NormalizeDomain(string entry, ReadOnlySpan<char> host)
    {
        // ".example.com" and "*.example.com" mean the same as "example.com" (curl also matches the bare domain).
        if (host.StartsWith("*."))
        {
            host = host[2..];
        }
        else if (host[0] == '.')
        {
            host = host[1..];
        }

        if (host.IsEmpty)
        {
            throw Invalid(entry, "missing domain name");
        }

        foreach (var label in host.Split('.'))
        {
            var part = host[label];
            if (part.IsEmpty)
            {
                throw Invalid(entry, "empty label in domain name");
            }

            foreach (var c in part)
            {
                if (!char.IsLetterOrDigit(c) && c != '-' && c != '_')
                {
                    throw Invalid(entry, $"invalid character '{c}' in host name");
                }
            }
        }

        return host.ToString().ToLowerInvariant();
    }

    private static int ParsePort(string entry, ReadOnlySpan<char> text)
    {
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            throw Invalid(entry, "port must be a number between 1 and 65535");
        }

        return port;
    }

    private static bool IsDigitsAndDots(ReadOnlySpan<char> text) =>
        text.ContainsAnyInRange('0', '9') && !text.ContainsAnyExcept("0123456789.");

    private static FormatException Invalid(string entry, string reason) =>
        new($"Invalid NO_PROXY entry '{entry}': {reason}.");
}
