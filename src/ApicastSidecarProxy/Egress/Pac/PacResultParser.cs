using System.Net;
using System.Net.Sockets;

namespace ApicastSidecarProxy.Egress.Pac;

/// <summary>
/// Reads FindProxyForURL's answer ("PROXY a:3128; SOCKS5 b:1080; DIRECT") as a proxy list, in order, without duplicates.
/// Anything it does not understand fails the request (proxy_selection_failed): never DIRECT by default, so a broken
/// script cannot send traffic past the proxies it was meant to enforce.
/// </summary>
public static class PacResultParser
{
    private const int MaxQuotedLength = 100;

    /// <exception cref="ProxySelectionException">An unknown keyword, a malformed entry, or no entry at all.</exception>
    public static IReadOnlyList<ProxyChoice> Parse(string result)
    {
        var choices = new List<ProxyChoice>();
        foreach (var part in result.Split(';'))
        {
            var entry = part.Trim();
            if (entry.Length == 0)
            {
                continue;
            }

            var choice = ParseEntry(entry);
            if (!choices.Contains(choice))
            {
                choices.Add(choice);
            }
        }

        return choices.Count > 0 ? choices : throw new ProxySelectionException("the PAC script returned no proxy list");
    }

    private static ProxyChoice ParseEntry(string entry)
    {
        var words = entry.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        var keyword = words[0].ToUpperInvariant();
        if (keyword == "DIRECT")
        {
            return words.Length == 1 ? ProxyChoice.Direct : throw Malformed(entry);
        }

        var (scheme, defaultPort) = keyword switch
        {
            "PROXY" or "HTTP" => ("http", 80),
            "HTTPS" => ("https", 443),
            "SOCKS" or "SOCKS4" => ("socks4", 1080),
            "SOCKS5" => ("socks5", 1080),
            _ => throw new ProxySelectionException($"the PAC script returned an unknown proxy type in '{Quote(entry)}'"),
        };
        if (words.Length != 2 || !TryParseAuthority(words[1], out var host, out var port))
        {
            throw Malformed(entry);
        }

        return new ProxyChoice(new Uri($"{scheme}://{host}:{port ?? defaultPort}"));
    }

    /// <summary>host, host:port, [IPv6] or [IPv6]:port; host is returned as it goes in a URI (IPv6 in brackets).</summary>
    private static bool TryParseAuthority(string authority, out string host, out int? port)
    {
        host = "";
        port = null;
        string portText;
        if (authority.StartsWith('['))
        {
            var close = authority.IndexOf(']');
            if (close < 0 || !IPAddress.TryParse(authority[1..close], out var address) || address.AddressFamily != AddressFamily.InterNetworkV6)
            {
                return false;
            }

            host = $"[{address}]";
            portText = authority[(close + 1)..];
        }
        else
        {
            var colon = authority.IndexOf(':');
            if (colon != authority.LastIndexOf(':'))
            {
                return false;
            }

            host = colon < 0 ? authority : authority[..colon];
            portText = colon < 0 ? "" : authority[colon..];
            if (Uri.CheckHostName(host) is not (UriHostNameType.Dns or UriHostNameType.IPv4))
            {
                return false;
            }
        }

        if (portText.Length == 0)
        {
            return true;
        }

        if (portText[0] != ':' || !int.TryParse(portText.AsSpan(1), System.Globalization.NumberStyles.None, null, out var number) || number is < 1 or > 65535)
        {
            return false;
        }

        port = number;
        return true;
    }

    private static ProxySelectionException Malformed(string entry) =>
        new($"the PAC script returned a malformed entry '{Quote(entry)}'");

    private static string Quote(string entry) => entry.Length <= MaxQuotedLength ? entry : entry[..MaxQuotedLength] + "...";
}
