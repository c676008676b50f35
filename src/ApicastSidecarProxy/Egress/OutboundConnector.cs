using System.Net.Http;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using ApicastSidecarProxy.Metrics;

namespace ApicastSidecarProxy.Egress;

/// <summary>
/// Opens the outbound TCP connections (to the proxy, or to an upstream reached directly). It also bounds how often
/// .NET reconnects for one tunnel request: when a proxy closes a CONNECT without answering, SocketsHttpHandler would
/// otherwise ask it again and again (16 connections for one client request).
/// </summary>
public sealed class OutboundConnector(SidecarMetrics metrics)
{
    /// <summary>Two: a proxy may legitimately close the connection after its 407 challenge.</summary>
    public const int MaxConnectionsPerTunnelRequest = 2;

    private readonly ConditionalWeakTable<HttpRequestMessage, StrongBox<int>> _tunnelConnections = new();

    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var request = context.InitialRequestMessage;
        var tunnel = request.Method == HttpMethod.Connect;
        if (tunnel)
        {
            var connections = _tunnelConnections.GetValue(request, _ => new StrongBox<int>());
            if (Interlocked.Increment(ref connections.Value) > MaxConnectionsPerTunnelRequest)
            {
                throw new ProxyClosedTunnelRequestException(MaxConnectionsPerTunnelRequest);
            }
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
            if (!tunnel)
            {
                return new NetworkStream(socket, ownsSocket: true);
            }

            metrics.ProxyConnectionOpened();
            return new ProxyConnectionStream(socket, metrics.ProxyConnectionClosed);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
