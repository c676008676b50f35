using System.Net;
using System.Net.Sockets;
using ApicastSidecarProxy.Egress;
using ApicastSidecarProxy.Forwarding;

namespace ApicastSidecarProxy.ForwardProxy;

/// <summary>
/// Opens a forward tunnel to HOST:PORT the way the routes reach their https upstreams: the same proxy rules
/// (https_proxy, no_proxy), credentials and schemes, CONNECT_TIMEOUT for the whole opening. Directly, it is a TCP
/// connection; through an HTTP(S) proxy, a CONNECT sent by SocketsHttpHandler (see
/// <see cref="OutboundHandlerFactory.CreateTunnelInvoker"/>); through a SOCKS proxy, the tunnel SocketsHttpHandler opens
/// (see <see cref="SocksTunnelCapture"/>). Nothing is written to the destination itself.
/// </summary>
public sealed class TunnelOpener(IProxySelector selector, ProxyCredentialLookup proxyCredentials, HttpMessageInvoker connectInvoker,
    TimeSpan connectTimeout)
{
    /// <summary>The tunnel, or the failure the client is told (with the hop), never an exception for an expected failure.</summary>
    public async Task<(Stream? Tunnel, ForwardingFailure? Failure)> OpenAsync(string host, int port, CancellationToken clientGone)
    {
        var authority = host.Contains(':') ? $"[{host}]:{port}" : $"{host}:{port}";
        var path = new ForwardPath(selector.SelectProxy(new Uri($"https://{authority}/")), proxyCredentials);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(clientGone);
        deadline.CancelAfter(connectTimeout);
        try
        {
            if (path.Proxy is null)
            {
                return (await ConnectDirectlyAsync(host, port, deadline.Token), null);
            }

            if (path.Proxy.Scheme.StartsWith("socks", StringComparison.Ordinal))
            {
                return await OpenThroughSocksAsync(authority, path, deadline.Token);
            }

            using var request = new HttpRequestMessage(HttpMethod.Connect, new Uri($"http://{authority}/"));
            request.Headers.Host = authority;
            var response = await connectInvoker.SendAsync(request, deadline.Token);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                return (await response.Content.ReadAsStreamAsync(deadline.Token), null);
            }

            response.Dispose();
            return (null, ForwardingFailureClassifier.ClassifyTunnelStatus((int)response.StatusCode, path));
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !clientGone.IsCancellationRequested)
        {
            return (null, ForwardingFailureClassifier.ClassifyException(new TimeoutException(), path));
        }
        catch (SocketException e) when (path.Proxy is null)
        {
            return (null, new ForwardingFailure("upstream_unreachable", ForwardingFailure.UpstreamHop, HttpStatusCode.BadGateway,
                $"cannot connect to {authority}: {e.Message}"));
        }
        catch (Exception e) when (e is HttpRequestException or IOException or SocketException or OperationCanceledException)
        {
            return (null, ForwardingFailureClassifier.ClassifyException(e, path));
        }
    }

    // The handler opens the SOCKS tunnel and then fails the request at its first write: the tunnel is ours (see SocksTunnelCapture).
    private async Task<(Stream? Tunnel, ForwardingFailure? Failure)> OpenThroughSocksAsync(string authority, ForwardPath path,
        CancellationToken cancellationToken)
    {
        var capture = new SocksTunnelCapture();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"http://{authority}/"));
        capture.Attach(request);
        try
        {
            (await connectInvoker.SendAsync(request, cancellationToken)).Dispose();
        }
        catch (HttpRequestException) when (capture.Tunnel is { } tunnel)
        {
            return (tunnel, null);
        }

        return (null, new ForwardingFailure("upstream_error", ForwardingFailure.UpstreamHop, HttpStatusCode.BadGateway,
            $"the tunnel through the SOCKS proxy {path.Proxy} to {authority} was not handed over"));
    }

    private static async Task<Stream> ConnectDirectlyAsync(string host, int port, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(new DnsEndPoint(host, port), cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
