using ApicastSidecarProxy.Configuration;

namespace ApicastSidecarProxy.Egress;

/// <summary>curl's rules: the proxy for the destination's scheme unless NO_PROXY names the destination.</summary>
public sealed class EnvironmentProxySelector(ProxyOptions options) : IProxySelector
{
    public Uri? SelectProxy(Uri destination)
    {
        var proxy = destination.Scheme == Uri.UriSchemeHttps ? options.Https : options.Http;
        if (proxy is null || options.NoProxy.Matches(destination.IdnHost, destination.Port))
        {
            return null;
        }

        return proxy.Uri;
    }
}
