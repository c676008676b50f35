
namespace ApicastSidecarProxy.Configuration;

/// <summary>Reads the curl-style proxy variables and the proxy credentials.</summary>
public static class ProxyOptionsReader
{
    /// <summary>http (CONNECT), https (TLS to the proxy, then CONNECT), and SOCKS, all spoken by SocketsHttpHandler.</summary>
    private static readonly string[] SupportedSchemes = ["http", "https", "socks5", "socks4a", "socks4"];

    private const int DefaultSocksPort = 1080;

    private const string EncodingHint =
        "percent-encode '/', '?', '#', '\\' and '@' in the user name and password (%2F, %3F, %23, %5C, %40)";

    public static ProxyOptions Read(SettingsSource settings)
    {
        var all = settings.GetFirst(SettingNames.AllProxy);
        var https = settings.GetFirst(SettingNames.HttpsProxy) ?? all;
        var http = settings.GetFirst(SettingNames.HttpProxy) ?? all;
        var credentials = ProxyCredentialSettings.Read(settings);
        var pac = ReadPac(settings, credentials, all ?? settings.GetFirst(SettingNames.HttpsProxy) ?? settings.GetFirst(SettingNames.HttpProxy));
        var failover = ReadFailover(settings, credentials, pac, https ?? http);

        return new ProxyOptions
        {
            Https = https is { } h ? ParseProxy(h.Name, h.Value, credentials) : null,
            Http = http is { } p ? ParseProxy(p.Name, p.Value, credentials) : null,
            Failover = failover,
            Pac = pac,
            RetryAfter = SidecarOptionsReader.ReadSeconds(settings, SettingNames.ProxyRetryAfter, ProxyOptions.DefaultRetryAfter, allowZero: true),
            NoProxy = ReadNoProxy(settings),
            AuthScheme = ReadAuthScheme(settings),
        };
    }

    private static PacOptions? ReadPac(SettingsSource settings, ProxyCredentialSettings credentials,
        (string Name, string Value)? proxyVariable)
    {
        if (settings.Get(SettingNames.ProxyPac) is not { } location)
        {
            return null;
        }

        if (proxyVariable is { } other)
        {
            throw new ConfigurationException(SettingNames.ProxyPac,
                $"cannot be set together with {other.Name}: the PAC script names the proxies (unset {other.Name}, or {SettingNames.ProxyPac})");
        }

        return new PacOptions(location, SidecarOptionsReader.ReadSeconds(settings, SettingNames.ProxyPacRefresh, PacOptions.DefaultRefresh, allowZero: true),
            credentials.For(SettingNames.ProxyPac, null, null));
    }

    private static IReadOnlyList<ProxyEndpoint> ReadFailover(SettingsSource settings, ProxyCredentialSettings credentials,
        PacOptions? pac, (string Name, string Value)? first)
    {
        if (settings.Get(SettingNames.ProxyFailover) is not { } list)
        {
            return [];
        }

        if (pac is not null)
        {
            throw new ConfigurationException(SettingNames.ProxyFailover,
                $"cannot be set together with {SettingNames.ProxyPac}: list the fall-back proxies in the PAC script's result");
        }

        if (first is null)
        {
            throw new ConfigurationException(SettingNames.ProxyFailover,
                "lists the proxies tried after https_proxy or http_proxy, and neither is set");
        }

        var entries = list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (entries.Length == 0)
        {
            throw new ConfigurationException(SettingNames.ProxyFailover, "names no proxy (expected comma-separated proxy URLs)");
        }

        return entries.Select(entry => ParseProxy(SettingNames.ProxyFailover, entry, credentials)).ToArray();
    }


    private static ProxyAuthScheme ReadAuthScheme(SettingsSource settings) =>
        settings.Get(SettingNames.ProxyAuth)?.ToLowerInvariant() switch
        {
            null or "auto" => ProxyAuthScheme.Auto,
            "basic" => ProxyAuthScheme.Basic,
            "digest" => ProxyAuthScheme.Digest,
            "ntlm" => ProxyAuthScheme.Ntlm,
            "negotiate" or "kerberos" => ProxyAuthScheme.Negotiate,
            var other => throw new ConfigurationException(SettingNames.ProxyAuth,
                $"'{other}' is not a proxy authentication scheme (auto, basic, digest, ntlm, negotiate)"),
        };

    private static NoProxyList ReadNoProxy(SettingsSource settings)
    {
        if (settings.GetFirst(SettingNames.NoProxy) is not { } noProxy)
        {
            return NoProxyList.Empty;
        }

        try
        {
            return NoProxyList.Parse(noProxy.Value);
        }
        catch (FormatException e)
        {
            throw new ConfigurationException(noProxy.Name, e.Message);
        }
    }

    private static ProxyEndpoint ParseProxy(string variable, string value, ProxyCredentialSettings credentials)
    {
        // Like curl, a proxy given without a scheme is an http:// proxy.
        var text = value.Contains("://", StringComparison.Ordinal) ? value : "http://" + value;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Host.Length == 0)
        {
            throw new ConfigurationException(variable, "is not a proxy URL (expected http://[user:password@]host:port"
                + (text.Contains('@') ? "; " + EncodingHint : "") + ")");
        }

        // An unencoded '/', '?', '#' or '\' in the password ends the authority early: the rest of the password would
        // become the host or port, and be printed as the proxy's address. Never echo the value.
        var atSigns = text.AsSpan(text.IndexOf("://", StringComparison.Ordinal) + 3).Count('@');
        if (atSigns > (uri.UserInfo.Length > 0 ? 1 : 0))
        {
            throw new ConfigurationException(variable,
                "has an '@' the URL parser does not see as the end of user:password: " + EncodingHint);
        }

        if (!SupportedSchemes.Contains(uri.Scheme))
        {
            throw new ConfigurationException(variable, uri.Scheme == "socks5h"
                ? "proxy scheme 'socks5h' is not supported: use socks5://, which also lets the proxy resolve host names"
                : $"proxy scheme '{uri.Scheme}' is not supported (use {string.Join(", ", SupportedSchemes.Select(s => s + "://"))})");
        }

        var (urlUser, urlPassword) = uri.UserInfo.Length > 0 ? UserInfo.Split(uri.UserInfo) : (null, null);
        // Like curl, a SOCKS proxy given without a port listens on 1080 (socks schemes have no default port in Uri).
        var proxyUri = new UriBuilder(uri.Scheme, uri.Host, uri.Port >= 0 ? uri.Port : DefaultSocksPort).Uri;
        return new ProxyEndpoint(proxyUri, credentials.For(variable, urlUser, urlPassword), variable);
    }
}
