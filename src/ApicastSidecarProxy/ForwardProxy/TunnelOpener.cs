using System.Net;
using ApicastSidecarProxy.Egress;
using ApicastSidecarProxy.Failures;
using ApicastSidecarProxy.Forwarding;

namespace ApicastSidecarProxy.ForwardProxy;

/// <summary>
/// Opens a forward tunnel to HOST:PORT the way the routes reach their https upstreams: the same proxy list
/// (https_proxy and PROXY_FAILOVER, or the PAC script; no_proxy), credentials and schemes, CONNECT_TIMEOUT for each
/// entry tried. Directly, it is a TCP connection; through an HTTP(S) proxy, a CONNECT sent by SocketsHttpHandler (see
/// <see cref="OutboundHandlerFactory.CreateTunnelInvoker"/>); through a SOCKS proxy, the tunnel SocketsHttpHandler opens
/// (see <see cref="SocksTunnelCapture"/>). Nothing is written to the destination itself.
/// </summary>
public sealed class TunnelOpener(ProxyFailover failover, HttpMessageInvoker connectInvoker, TimeSpan connectTimeout)
{
    /// <summary>The tunnel, or the failure the client is told (with the hop), never an exception for an expected failure.</summary>
    /// <param name="path">Records the entry the tunnel went through, for the access log.</param>
    public async Task<(Stream? Tunnel, ForwardingFailure? Failure)> OpenAsync(string host, int port, OutboundPath path,
        CancellationToken clientGone)
    {
        var authority = host.Contains(':') ? $"[{host}]:{port}" : $"{host}:{port}";
        var (tunnel, failure) = await OpenThroughListAsync(host, port, authority, path, clientGone);
        return (tunnel, ForwardingFailureClassifier.WithFailedBefore(failure, path));
    }

    private async Task<(Stream? Tunnel, ForwardingFailure? Failure)> OpenThroughListAsync(string host, int port, string authority,
        OutboundPath path, CancellationToken clientGone)
    {
        try
        {
            return await failover.RunAsync(new Uri($"https://{authority}/"), path,
                choice => OpenThroughAsync(choice, host, port, authority, path, clientGone), clientGone);
        }
        catch (ProxySelectionException e)
        {
            return (null, ForwardingFailureClassifier.SelectionFailed(e));
        }
        catch (OutboundConnectException e) when (path.Proxy is null)
        {
            return (null, new ForwardingFailure(FailureCode.UpstreamUnreachable, ForwardingFailure.UpstreamHop, HttpStatusCode.BadGateway,
                $"cannot connect to {authority}: {e.Message}"));
        }
        catch (Exception e) when (e is HttpRequestException or IOException or TimeoutException
                                      || (e is OperationCanceledException && !clientGone.IsCancellationRequested))
        {
            return (null, ForwardingFailureClassifier.ClassifyException(e, path));
        }
    }

    // A deadline of CONNECT_TIMEOUT per entry: its expiry is a TimeoutException, which lets the next entry be tried.
    private async Task<(Stream? Tunnel, ForwardingFailure? Failure)> OpenThroughAsync(ProxyChoice choice, string host, int port,
        string authority, OutboundPath path, CancellationToken clientGone)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(clientGone);
        deadline.CancelAfter(connectTimeout);
        try
        {
            if (choice.Proxy is null)
            {
                var socket = await OutboundConnector.OpenAsync(new DnsEndPoint(host, port), deadline.Token);
                return (new System.Net.Sockets.NetworkStream(socket, ownsSocket: true), null);
            }

            if (choice.Proxy.Scheme.StartsWith("socks", StringComparison.Ordinal))
            {
                return await OpenThroughSocksAsync(authority, choice.Proxy, deadline.Token);
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
        catch (OperationCanceledException e) when (deadline.IsCancellationRequested && !clientGone.IsCancellationRequested)
        {
            throw new TimeoutException($"no tunnel within CONNECT_TIMEOUT", e);
        }
    }

    // The handler opens the SOCKS tunnel and then fails the request at its first write: the tunnel is ours (see SocksTunnelCapture).
    private async Task<(Stream? Tunnel, ForwardingFailure? Failure)> OpenThroughSocksAsync(string authority, Uri proxy,
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

        return (null, new ForwardingFailure(FailureCode.UpstreamError, ForwardingFailure.UpstreamHop, HttpStatusCode.BadGateway,
            $"the tunnel through the SOCKS proxy {proxy} to {authority} was not handed over"));
    }
}
