namespace ApicastSidecarProxy.Egress;

/// <summary>
/// Lists the ways out to a destination, in the order to try them: from https_proxy/http_proxy and PROXY_FAILOVER
/// (<see cref="EnvironmentProxySelector"/>) or from a PAC script (<see cref="PacProxySelector"/>). DIRECT is in the list
/// only when the rules say so; a selector that cannot decide throws <see cref="ProxySelectionException"/>.
/// </summary>
public interface IProxySelector
{
    /// <summary>The proxies (or DIRECT) for <paramref name="destination"/>, first choice first; never empty.</summary>
    /// <exception cref="ProxySelectionException">No list could be made: the request fails, it never goes direct.</exception>
    IReadOnlyList<ProxyChoice> Select(Uri destination);
}
