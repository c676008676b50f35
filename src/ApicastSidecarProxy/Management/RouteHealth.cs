using ApicastSidecarProxy.Failures;
using ApicastSidecarProxy.Forwarding;

namespace ApicastSidecarProxy.Management;

/// <summary>The outcome of one readiness probe of a route's chain.</summary>
/// <param name="UpstreamStatus">The upstream's status code when it answered (any status means the chain works).</param>
/// <param name="Failure">Which hop failed, when the chain did not answer.</param>
/// <param name="Proxies">The state of each proxy of the route's list, probed one by one; empty when the route goes direct.</param>
public sealed record RouteHealth(DateTimeOffset CheckedAt, int? UpstreamStatus, ForwardingFailure? Failure,
    IReadOnlyList<ProxyHealth>? Proxies = null)
{
    public bool Ok => Failure is null;
}

/// <summary>The outcome of the probe through one proxy of a route's list.</summary>
/// <param name="Proxy">scheme://host:port of the proxy.</param>
public sealed record ProxyHealth(string Proxy, int? UpstreamStatus, ForwardingFailure? Failure)
{
    public bool Ok => Failure is null;
}
