
namespace ApicastSidecarProxy.Configuration;

/// <summary>Forward proxies by upstream scheme, the exceptions to them, and the credentials to present.</summary>
public sealed record ProxyOptions
{
    /// <summary>Proxy for https upstreams (https_proxy, HTTPS_PROXY, then all_proxy, ALL_PROXY). Null: direct.</summary>
    public ProxyEndpoint? Https { get; init; }

    /// <summary>Proxy for http upstreams (http_proxy, HTTP_PROXY, then all_proxy, ALL_PROXY). Null: direct.</summary>
    public ProxyEndpoint? Http { get; init; }

    /// <summary>
    /// The authentication scheme to answer the proxy with (PROXY_AUTH): Auto lets .NET pick from the proxy's offer in the
    /// order Negotiate, NTLM, Digest, Basic. Default: Auto.
    /// </summary>
    public ProxyAuthScheme AuthScheme { get; init; } = ProxyAuthScheme.Auto;

    /// <summary>Hosts reached directly (no_proxy, NO_PROXY), curl semantics. Default: none.</summary>
    public NoProxyList NoProxy { get; init; } = NoProxyList.Empty;

    /// <summary>Proxies tried in order after the one for the scheme when it cannot be connected to (PROXY_FAILOVER).</summary>
    public IReadOnlyList<ProxyEndpoint> Failover { get; init; } = [];

    /// <summary>The PAC script that names the proxy per destination (PROXY_PAC); null: https_proxy and friends.</summary>
    public PacOptions? Pac { get; init; }

    /// <summary>How long a proxy that could not be connected to is skipped (PROXY_RETRY_AFTER). Default: 30 s.</summary>
    public TimeSpan RetryAfter { get; init; } = DefaultRetryAfter;

    public static readonly TimeSpan DefaultRetryAfter = TimeSpan.FromSeconds(30);

    public static ProxyOptions Direct { get; } = new();

    /// <summary>The configured proxies (not the PAC script's), each once.</summary>
    public IEnumerable<ProxyEndpoint> Endpoints =>
        new[] { Https, Http }.OfType<ProxyEndpoint>().Concat(Failover).DistinctBy(proxy => proxy.Uri);
}

/// <summary>Where the PAC script comes from and how often it is fetched again.</summary>
/// <param name="Location">A local path, a file:// URL, or an http(s):// URL fetched directly (never through a proxy).</param>
/// <param name="Refresh">Time between re-fetches (PROXY_PAC_REFRESH); zero: never.</param>
/// <param name="Credentials">PROXY_USERNAME and PROXY_PASSWORD(_FILE), answered to every proxy the script names.</param>
public sealed record PacOptions(string Location, TimeSpan Refresh, ProxyCredentials? Credentials)
{
    public static readonly TimeSpan DefaultRefresh = TimeSpan.FromMinutes(5);
}

/// <summary>A forward proxy: its URL without userinfo, and the credentials to answer its challenge with.</summary>
/// <param name="Uri">scheme://host:port of the proxy, never with userinfo (so it can appear in messages).</param>
/// <param name="Credentials">From the URL's userinfo or PROXY_USERNAME/PROXY_PASSWORD(_FILE); null: none.</param>
/// <param name="Variable">The variable the proxy came from, for messages.</param>
public sealed record ProxyEndpoint(Uri Uri, ProxyCredentials? Credentials, string Variable);
