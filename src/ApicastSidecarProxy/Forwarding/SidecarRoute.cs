using ApicastSidecarProxy.Configuration;

namespace ApicastSidecarProxy.Forwarding;

/// <summary>A route ready to serve: its options, what is precomputed from them, and the proxy its upstream goes through.</summary>
public sealed class SidecarRoute(SidecarRouteOptions options, Uri? proxy)
{
    public SidecarRouteOptions Options { get; } = options;

    public string Name => Options.Name;

    /// <summary>The upstream URL as YARP's destination prefix: scheme, authority and path prefix, no trailing slash.</summary>
    public string DestinationPrefix { get; } = options.Upstream.GetLeftPart(UriPartial.Path).TrimEnd('/');

    /// <summary>The proxy chosen for this upstream at start-up, null when it is reached directly.</summary>
    public Uri? Proxy { get; } = proxy;

    public UpstreamRequestTransformer Transformer { get; } = new(BasicAuthorization.For(options.UpstreamCredentials));
}
