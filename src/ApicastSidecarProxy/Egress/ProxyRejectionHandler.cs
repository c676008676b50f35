using System.Net;
using System.Net.Http;

namespace ApicastSidecarProxy.Egress;

/// <summary>
/// Through an HTTP proxy, a plain-http request gets the proxy's own 407 as its response when the proxy rejects the
/// credentials; an https request sees the same rejection as a failed CONNECT. Only a proxy answers 407, so it becomes
/// the same failure (proxy_auth_failed at the proxy hop) instead of being forwarded as if the upstream had said it.
/// </summary>
public sealed class ProxyRejectionHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        if (response.StatusCode != HttpStatusCode.ProxyAuthenticationRequired
            || request.RequestUri is not { Scheme: "http" }
            || OutboundPath.Current?.Proxy is not { Scheme: "http" or "https" })
        {
            return response;
        }

        response.Dispose();
        throw new ProxyRejectedCredentialsException();
    }
}
