using System.Net.Http;

namespace ApicastSidecarProxy.Egress;

/// <summary>
/// Keeps SocketsHttpHandler from sending a request twice. When a connection closes before the answer, it re-sends a
/// request that has no body on a new connection, up to three more times, although the upstream may already have acted
/// on it: a second authrep would count the customer's traffic twice. A request with a body (even an empty one, sent as
/// Content-Length: 0) is never re-sent, so every request gets one.
/// </summary>
public sealed class SingleAttemptHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Content ??= new ByteArrayContent([]);
        return base.SendAsync(request, cancellationToken);
    }
}
