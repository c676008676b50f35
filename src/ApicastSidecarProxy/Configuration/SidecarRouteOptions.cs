using System.Net;

namespace ApicastSidecarProxy.Configuration;

/// <summary>One listener forwarding every request to one upstream.</summary>
/// <param name="Name">Route name used in logs, e.g. "portal".</param>
/// <param name="ListenPort">Port of the plain-HTTP listener; 0 picks a free port (logged at start).</param>
/// <param name="Upstream">Upstream base URL without userinfo; its path is a prefix kept on every request.</param>
/// <param name="UpstreamCredentials">
/// The upstream URL's userinfo, sent as Basic authorization when the client sent no Authorization; null when none.
/// </param>
/// <param name="EndpointVariable">The setting the upstream came from, for messages.</param>
public sealed record SidecarRouteOptions(
    string Name,
    int ListenPort,
    Uri Upstream,
    NetworkCredential? UpstreamCredentials,
    string EndpointVariable);
