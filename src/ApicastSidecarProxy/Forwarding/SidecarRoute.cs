using ApicastSidecarProxy.Caching;
using ApicastSidecarProxy.Configuration;

namespace ApicastSidecarProxy.Forwarding;

/// <summary>A route ready to serve: its options and what is precomputed from them.</summary>
/// <param name="configCache">The store of last good configuration answers, on the portal route when CONFIG_CACHE is on.</param>
/// <param name="concurrencyLimit">How many of the route's exchanges may be in flight at once; none: no limit of its own.</param>
public sealed class SidecarRoute(SidecarRouteOptions options, ConfigurationCache? configCache = null,
    AdaptiveConcurrencyLimit? concurrencyLimit = null)
{
    public SidecarRouteOptions Options { get; } = options;

    public string Name => Options.Name;

    /// <summary>The upstream URL as YARP's destination prefix: scheme, authority and path prefix, no trailing slash.</summary>
    public string DestinationPrefix { get; } = options.Upstream.GetLeftPart(UriPartial.Path).TrimEnd('/');

    /// <summary>The route's own Authorization value (from the upstream URL's userinfo), sent when the client sent none.</summary>
    public string? DefaultAuthorization { get; } = BasicAuthorization.For(options.UpstreamCredentials);

    public ConfigurationCache? ConfigCache { get; } = configCache;

    public AdaptiveConcurrencyLimit? ConcurrencyLimit { get; } = concurrencyLimit;

    public UpstreamRequestTransformer Transformer { get; } = configCache is null
        ? new UpstreamRequestTransformer(BasicAuthorization.For(options.UpstreamCredentials))
        : new ConfigCacheTransformer(BasicAuthorization.For(options.UpstreamCredentials));
}
