using ApicastSidecarProxy.Failures;
using ApicastSidecarProxy.Forwarding;

namespace ApicastSidecarProxy.Management;

/// <summary>The outcome of one readiness probe of a route's chain.</summary>
/// <param name="UpstreamStatus">The upstream's status code when it answered (any status means the chain works).</param>
/// <param name="Failure">Which hop failed, when the chain did not answer.</param>
public sealed record RouteHealth(DateTimeOffset CheckedAt, int? UpstreamStatus, ForwardingFailure? Failure)
{
    public bool Ok => Failure is null;
}
