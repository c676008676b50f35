namespace ApicastSidecarProxy.Egress;

/// <summary>
/// The routes' way through the proxy list: each request goes out through the first entry that can be connected to
/// (<see cref="ProxyFailover"/>), recorded on the request's <see cref="OutboundPath"/>, which SocketsHttpHandler's proxy
/// callback reads. A request re-sent to the next entry was never sent: its connection did not open.
/// </summary>
public sealed class ProxyFailoverHandler(HttpMessageHandler inner, ProxyFailover failover) : DelegatingHandler(inner)
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var path = OutboundPath.Current ?? OutboundPath.Begin();
        if (path.Pinned)
        {
            return base.SendAsync(request, cancellationToken);
        }

        return failover.RunAsync(request.RequestUri!, path, _ => base.SendAsync(request, cancellationToken), cancellationToken);
    }
}
