namespace ApicastSidecarProxy.Forwarding;

/// <summary>The way out to one destination, as failure messages name it: through which proxy, with which scheme.</summary>
public interface IProxiedPath
{
    /// <summary>The proxy the destination is reached through, null when directly.</summary>
    Uri? Proxy { get; }

    /// <summary>The authentication scheme last answered to that proxy, or null when none was.</summary>
    string? ProxySchemeTried { get; }
}
