using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ApicastSidecarProxy.FunctionalTests.Infrastructure;

/// <summary>
/// A minimal SOCKS4a proxy, for what no packaged server here does: SOCKS4a, where the client sends the host name and
/// the proxy resolves it (Dante answers SOCKS4 only). Records each destination it was asked for, connects to it and
/// relays bytes both ways until either side closes.
/// </summary>
public sealed class FakeSocks4aProxy : IAsyncDisposable
{
    private const int MaxFieldBytes = 255;
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<string> _destinations = [];
    private readonly List<Task> _connections = [];
    private readonly Task _acceptLoop;

    public FakeSocks4aProxy()
    {
        _listener.Start();
        _acceptLoop = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>"host:port" of every SOCKS4a request, as the client sent it (a name, not an address).</summary>
    public IReadOnlyList<string> RequestedDestinations
    {
        get { lock (_destinations) return [.. _destinations]; }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        await _acceptLoop;
        Task[] connections;
        lock (_connections) connections = [.. _connections];
        await Task.WhenAll(connections);
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                lock (_connections) _connections.Add(ServeAsync(client));
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
        {
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        var toClient = client.GetStream();
        try
        {
            // VN=4, CD=1 (CONNECT), DSTPORT, DSTIP; then USERID and, for 4a (DSTIP 0.0.0.x, x != 0), the host name.
            var head = new byte[8];
            await toClient.ReadExactlyAsync(head, _stop.Token);
            await ReadFieldAsync(toClient);
            var isSocks4a = head[4] == 0 && head[5] == 0 && head[6] == 0 && head[7] != 0;
            if (head[0] != 4 || head[1] != 1 || !isSocks4a)
            {
                await toClient.WriteAsync(Reply(granted: false), _stop.Token); // only SOCKS4a CONNECT is served
                return;
            }

            var host = await ReadFieldAsync(toClient);
            var port = head[2] << 8 | head[3];
            lock (_destinations) _destinations.Add($"{host}:{port}");

            using var upstream = new TcpClient();
            try
            {
                await upstream.ConnectAsync(host, port, _stop.Token);
            }
            catch (SocketException)
            {
                await toClient.WriteAsync(Reply(granted: false), _stop.Token);
                return;
            }

            await toClient.WriteAsync(Reply(granted: true), _stop.Token);
            var toUpstream = upstream.GetStream();
            await Task.WhenAny(toClient.CopyToAsync(toUpstream, _stop.Token), toUpstream.CopyToAsync(toClient, _stop.Token));
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or EndOfStreamException)
        {
        }
    }

    private async Task<string> ReadFieldAsync(NetworkStream stream)
    {
        var field = new List<byte>();
        var one = new byte[1];
        while (true)
        {
            await stream.ReadExactlyAsync(one, _stop.Token);
            if (one[0] == 0)
            {
                return Encoding.ASCII.GetString(field.ToArray());
            }

            if (field.Count == MaxFieldBytes)
            {
                throw new IOException("SOCKS4a field longer than 255 bytes");
            }

            field.Add(one[0]);
        }
    }

    private static byte[] Reply(bool granted) => [0, (byte)(granted ? 0x5A : 0x5B), 0, 0, 0, 0, 0, 0];
}
