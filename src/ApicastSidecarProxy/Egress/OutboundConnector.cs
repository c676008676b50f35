using System.Net.Sockets;
using System.Runtime.CompilerServices;
using ApicastSidecarProxy.Metrics;

namespace ApicastSidecarProxy.Egress;

/// <summary>
/// Opens the outbound TCP connections (to the proxy, or to an upstream reached directly); a connection that cannot be
/// opened fails with <see cref="OutboundConnectException"/>, which lets the next proxy-list entry be tried. It also
/// bounds how often .NET reconnects for one tunnel request: when a proxy closes a CONNECT without answering,
/// SocketsHttpHandler would otherwise ask it again and again (16 connections for one client request).
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

        var socket = await OpenAsync(context.DnsEndPoint, cancellationToken);
        if (!tunnel)
        {
            return new NetworkStream(socket, ownsSocket: true);
        }

        metrics.ProxyConnectionOpened();
        return new ProxyConnectionStream(socket, metrics.ProxyConnectionClosed);
    }

    /// <summary>A connected socket, or <see cref="OutboundConnectException"/> (refused, unreachable, unresolved).</summary>
    public static async Task<Socket> OpenAsync(System.Net.EndPoint endPoint, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(endPoint, cancellationToken);
            return socket;
        }
        catch (SocketException e)
        {
            socket.Dispose();
            throw new OutboundConnectException(e);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
