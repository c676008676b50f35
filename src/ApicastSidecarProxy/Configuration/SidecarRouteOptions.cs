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
/// <param name="Check">What the `check` command asks this upstream, and what proves the answer came from it.</param>
/// <param name="ServesConfiguration">
/// Whether APIcast downloads its configuration through this route (the portal), so its last good answers may be kept
/// (CONFIG_CACHE). Never the backend: authorizations and reports must be live.
/// </param>
/// <param name="AcceptsAbsoluteForm">
/// Whether a request target may be absolute-form (GET http://host/path): only on the forward-proxy listener, whose
/// destinations are checked against FORWARD_PROXY_ALLOW before.
/// </param>
public sealed record SidecarRouteOptions(
    string Name,
    int ListenPort,
    Uri Upstream,
    NetworkCredential? UpstreamCredentials,
    string EndpointVariable,
    RouteCheck? Check = null,
    bool ServesConfiguration = false,
    bool AcceptsAbsoluteForm = false);

/// <summary>A request that an unauthenticated client can make and whose answer is recognisably the real upstream's.</summary>
/// <param name="PathAndQuery">Relative to the upstream's path prefix, e.g. "/transactions/authorize.xml".</param>
/// <param name="ExpectedStatus">The status the upstream answers without credentials, e.g. 403.</param>
/// <param name="ExpectedBodyFragment">Text the body must contain, e.g. "provider_key_or_service_token_required".</param>
public sealed record RouteCheck(string PathAndQuery, int ExpectedStatus, string ExpectedBodyFragment);
