using System.Net;

namespace ApicastSidecarProxy.Forwarding;

/// <summary>Why an exchange failed, in the words the client, the access log and operators see.</summary>
/// <param name="Code">Stable machine-readable code, e.g. proxy_auth_failed; sent as X-Sidecar-Error.</param>
/// <param name="Hop">"proxy", "upstream" or "client": where on the path it failed.</param>
/// <param name="Status">The status the client gets (502, 504, or 4xx for a refused request).</param>
/// <param name="Message">Plain words, free of secrets.</param>
public sealed record ForwardingFailure(string Code, string Hop, HttpStatusCode Status, string Message)
{
    public const string ProxyHop = "proxy";
    public const string UpstreamHop = "upstream";
    public const string ClientHop = "client";
}
