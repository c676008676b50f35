using ApicastSidecarProxy.Configuration;

namespace ApicastSidecarProxy.Egress;

/// <summary>
/// curl's rules: the proxy for the destination's scheme, then the PROXY_FAILOVER proxies, unless NO_PROXY names the
/// destination. The lists are built once.
/// </summary>
public sealed class EnvironmentProxySelector(ProxyOptions options) : IProxySelector
{
    private static readonly IReadOnlyList<ProxyChoice> DirectOnly = [ProxyChoice.Direct];

    private readonly IReadOnlyList<ProxyChoice> _https = ListFor(options.Https, options.Failover);
    private readonly IReadOnlyList<ProxyChoice> _http = ListFor(options.Http, options.Failover);

    public IReadOnlyList<ProxyChoice> Select(Uri destination)
    {
        if (options.NoProxy.Matches(destination.IdnHost, destination.Port))
        {
            return DirectOnly;
        }

        return destination.Scheme == Uri.UriSchemeHttps ? _https : _http;
    }

    private static IReadOnlyList<ProxyChoice> ListFor(ProxyEndpoint? first, IReadOnlyList<ProxyEndpoint> failover) =>
        first is null
            ? DirectOnly
            : new[] { first }.Concat(failover).Select(p => new ProxyChoice(p.Uri)).Distinct().ToArray();
}
