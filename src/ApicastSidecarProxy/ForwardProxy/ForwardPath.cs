using ApicastSidecarProxy.Egress;
using ApicastSidecarProxy.Forwarding;

namespace ApicastSidecarProxy.ForwardProxy;

/// <summary>The way out to one forward destination, chosen when its tunnel or request is made.</summary>
public sealed class ForwardPath(Uri? proxy, ProxyCredentialLookup proxyCredentials) : IProxiedPath
{
    public Uri? Proxy { get; } = proxy;

    public string? ProxySchemeTried => Proxy is null ? null : proxyCredentials.LastSchemeFor(Proxy);
}
