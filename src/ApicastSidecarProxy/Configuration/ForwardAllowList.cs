using System.Globalization;
using System.Net;

namespace ApicastSidecarProxy.Configuration;

/// <summary>
/// FORWARD_PROXY_ALLOW: the destinations the forward-proxy listener may reach. Comma-separated <c>host</c> or
/// <c>*.domain</c> patterns with an optional <c>:port</c>; without a port, 443 for CONNECT and 80 for http:// targets.
/// Patterns match the name the client sent, case-insensitively, never a DNS answer; an IP address matches only an
/// entry naming that literal.
/// </summary>
public sealed class ForwardAllowList
{
    public const int DefaultTunnelPort = 443;
    public const int DefaultHttpPort = 80;

    private readonly Entry[] _entries;

    private ForwardAllowList(Entry[] entries, string text)
    {
        _entries = entries;
        Text = text;
    }

    /// <summary>The list as configured, for the start-up line.</summary>
    public string Text { get; }

    /// <exception cref="ConfigurationException">An entry is not a host, *.domain or IP literal with an optional port.</exception>
    public static ForwardAllowList Parse(string variable, string value)
    {
        var entries = value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(entry => ParseEntry(variable, entry))
            .ToArray();
        if (entries.Length == 0)
        {
            throw new ConfigurationException(variable, "names no destination");
        }

        return new ForwardAllowList(entries, string.Join(",", entries.Select(e => e.ToString())));
    }

    /// <param name="host">The host as the client sent it (no brackets around an IPv6 address).</param>
    /// <param name="tunnel">True for CONNECT (an entry without a port means 443), false for an http:// target (80).</param>
    public bool Allows(string host, int port, bool tunnel)
    {
        var isAddress = IPAddress.TryParse(host, out _);
        foreach (var entry in _entries)
        {
            if (port == (entry.Port ?? (tunnel ? DefaultTunnelPort : DefaultHttpPort)) && entry.Matches(host, isAddress))
            {
                return true;
            }
        }

        return false;
    }

    public override string ToString() => Text;

    private static Entry ParseEntry(string variable, string text)
    {
        var (host, port) = SplitPort(variable, text);
        var wildcard = host.StartsWith("*.", StringComparison.Ordinal);
        var name = wildcard ? host[2..] : host;
        if (IPAddress.TryParse(name, out var address) && !wildcard)
        {
            return new Entry(address.ToString(), Wildcard: false, IsAddress: true, port);
        }

        if (!IsHostName(name))
        {
            throw new ConfigurationException(variable,
                $"'{text}' is not a destination (host, *.domain or IP address, with an optional :port)");
        }

        return new Entry(name.ToLowerInvariant(), wildcard, IsAddress: false, port);
    }

    private static (string Host, int? Port) SplitPort(string variable, string text)
    {
        if (text.StartsWith('['))
        {
            var close = text.IndexOf(']');
            var rest = close < 0 ? "" : text[(close + 1)..];
            if (close < 0 || (rest.Length > 0 && !rest.StartsWith(':')))
            {
                throw new ConfigurationException(variable, $"'{text}' is not a bracketed IPv6 address with an optional :port");
            }

            return (text[1..close], rest.Length == 0 ? null : ReadPort(variable, text, rest[1..]));
        }

        var colon = text.LastIndexOf(':');
        if (colon < 0 || text.IndexOf(':') != colon)
        {
            return (text, null); // no port, or a bare IPv6 address
        }

        return (text[..colon], ReadPort(variable, text, text[(colon + 1)..]));
    }

    private static int ReadPort(string variable, string entry, string port)
    {
        if (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number is < 1 or > 65535)
        {
            throw new ConfigurationException(variable, $"'{entry}' has no valid port (1-65535)");
        }

        return number;
    }

    /// <summary>Letters, digits, '-' and '.' in non-empty labels: what DNS names are made of.</summary>
    internal static bool IsHostName(string name) =>
        name.Length is > 0 and <= 253
        && name.Split('.').All(label => label.Length is > 0 and <= 63 && label.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'));

    private sealed record Entry(string Host, bool Wildcard, bool IsAddress, int? Port)
    {
        public bool Matches(string host, bool hostIsAddress)
        {
            if (IsAddress || hostIsAddress)
            {
                return IsAddress && hostIsAddress && IPAddress.TryParse(host, out var address) && address.ToString() == Host;
            }

            return Wildcard
                ? host.Length > Host.Length + 1 && host.EndsWith("." + Host, StringComparison.OrdinalIgnoreCase)
                : host.Equals(Host, StringComparison.OrdinalIgnoreCase);
        }

        public override string ToString()
        {
            var host = IsAddress && Host.Contains(':') ? $"[{Host}]" : Host;
            return (Wildcard ? "*." : "") + host + (Port is { } port ? $":{port}" : "");
        }
    }
}
