using ApicastSidecarProxy.Caching;
using ApicastSidecarProxy.Configuration;
using ApicastSidecarProxy.Egress;

namespace ApicastSidecarProxy.Forwarding;

/// <summary>A route ready to serve: its options, what is precomputed from them, and the proxy its upstream goes through.</summary>
/// <param name="proxyCredentials">What answers the proxy's challenges; it tells which scheme was last tried.</param>
/// <param name="configCache">The store of last good configuration answers, on the portal route when CONFIG_CACHE is on.</param>
public sealed class SidecarRoute(SidecarRouteOptions options, Uri? proxy, ProxyCredentialLookup? proxyCredentials = null,
    ConfigurationCache? configCache = null) : IProxiedPath
{
    public SidecarRouteOptions Options { get; } = options;

    public string Name => Options.Name;

    /// <summary>The upstream URL as YARP's destination prefix: scheme, authority and path prefix, no trailing slash.</summary>
    public string DestinationPrefix { get; } = options.Upstream.GetLeftPart(UriPartial.Path).TrimEnd('/');

    /// <summary>The proxy chosen for this upstream at start-up, null when it is reached directly.</summary>
    public Uri? Proxy { get; } = proxy;

    /// <summary>The authentication scheme last answered to this route's proxy, or null when none was (no credentials, or none asked).</summary>
    public string? ProxySchemeTried => Proxy is null ? null : proxyCredentials?.LastSchemeFor(Proxy);

    /// <summary>The route's own Authorization value (from the upstream URL's userinfo), sent when the client sent none.</summary>
    public string? DefaultAuthorization { get; } = BasicAuthorization.For(options.UpstreamCredentials);

    public ConfigurationCache? ConfigCache { get; } = configCache;

    public UpstreamRequestTransformer Transformer { get; } = configCache is null
        ? new UpstreamRequestTransformer(BasicAuthorization.For(options.UpstreamCredentials))
        : new ConfigCacheTransformer(BasicAuthorization.For(options.UpstreamCredentials));
}
