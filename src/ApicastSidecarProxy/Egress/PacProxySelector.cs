using ApicastSidecarProxy.Configuration;
using ApicastSidecarProxy.Egress.Pac;

namespace ApicastSidecarProxy.Egress;

/// <summary>The PAC script's proxy list for a destination; NO_PROXY still sends its hosts directly, before the script is asked.</summary>
public sealed class PacProxySelector(NoProxyList noProxy, PacProxyResolver resolver) : IProxySelector
{
    private static readonly IReadOnlyList<ProxyChoice> DirectOnly = [ProxyChoice.Direct];

    public IReadOnlyList<ProxyChoice> Select(Uri destination) =>
        noProxy.Matches(destination.IdnHost, destination.Port) ? DirectOnly : resolver.Resolve(destination);
}
