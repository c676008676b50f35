using System.Net;

namespace ApicastSidecarProxy.Failures;

/// <summary>Why an exchange failed, in the words the client, the access log and operators see.</summary>
/// <param name="Code">The stable code, sent as X-Sidecar-Error (written as <see cref="FailureCodes.Text"/>).</param>
/// <param name="Hop">"proxy", "upstream" or "client": where on the path it failed.</param>
/// <param name="Status">The status the client gets (502, 504, or 4xx for a refused request).</param>
/// <param name="Message">Plain words, free of secrets.</param>
/// <param name="ProxyAnswer">The proxy's status answering CONNECT, when it answered one (e.g. 407, 503).</param>
public sealed record ForwardingFailure(FailureCode Code, string Hop, HttpStatusCode Status, string Message, int? ProxyAnswer = null)
{
    public const string ProxyHop = "proxy";
    public const string UpstreamHop = "upstream";
    public const string ClientHop = "client";

    /// <summary>The code as written everywhere, e.g. "proxy_auth_failed".</summary>
    public string CodeText => Code.Text();
}
