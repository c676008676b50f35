
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

    public static ProxyOptions Direct { get; } = new();

    /// <summary>The configured proxies, each once.</summary>
    public IEnumerable<ProxyEndpoint> Endpoints =>
        new[] { Https, Http }.OfType<ProxyEndpoint>().DistinctBy(proxy => proxy.Uri);
}

/// <summary>A forward proxy: its URL without userinfo, and the credentials to answer its challenge with.</summary>
/// <param name="Uri">scheme://host:port of the proxy, never with userinfo (so it can appear in messages).</param>
/// <param name="Credentials">From the URL's userinfo or PROXY_USERNAME/PROXY_PASSWORD(_FILE); null: none.</param>
/// <param name="Variable">The variable the proxy came from, for messages.</param>
public sealed record ProxyEndpoint(Uri Uri, ProxyCredentials? Credentials, string Variable);
