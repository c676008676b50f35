namespace ApicastSidecarProxy.Egress;

/// <summary>
/// Chooses the forward proxy for a destination. The one seam for proxy selection, so PAC files or several proxies
/// with failover can replace the environment-variable rules without touching forwarding.
/// </summary>
public interface IProxySelector
{
    /// <summary>The proxy to reach <paramref name="destination"/> through, or null to connect directly.</summary>
    Uri? SelectProxy(Uri destination);
}
