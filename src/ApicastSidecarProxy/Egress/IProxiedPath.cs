namespace ApicastSidecarProxy.Egress;

/// <summary>The way out one request took, as failure messages name it: through which proxy, with which scheme.</summary>
public interface IProxiedPath
{
    /// <summary>The proxy the destination was reached through, null when directly.</summary>
    Uri? Proxy { get; }

    /// <summary>The authentication scheme answered to that proxy for this request, or null when none was.</summary>
    string? ProxySchemeTried { get; }
}
