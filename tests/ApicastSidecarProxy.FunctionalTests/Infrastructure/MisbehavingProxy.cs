using System.Net;
using System.Net.Sockets;

namespace ApicastSidecarProxy.FunctionalTests.Infrastructure;

/// <summary>
/// A "proxy" with a fault a real proxy cannot produce on demand: it accepts TCP connections and then either never
/// answers, or reads the CONNECT request and closes without a word. Counts the connections it accepted.
/// </summary>
public sealed class MisbehavingProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly List<TcpClient> _accepted = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly bool _closeAfterRequest;
    private readonly Task _acceptLoop;

    private MisbehavingProxy(bool closeAfterRequest)
    {
        _closeAfterRequest = closeAfterRequest;
        _listener.Start();
        _acceptLoop = AcceptAsync();
    }

    /// <summary>Accepts connections and never sends a byte.</summary>
    public static MisbehavingProxy NeverAnswering() => new(closeAfterRequest: false);

    /// <summary>Reads the request head, then closes the connection without answering.</summary>
    public static MisbehavingProxy ClosingWithoutAnswer() => new(closeAfterRequest: true);

    public Uri ProxyUri => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}");

    public int AcceptedConnections
    {
        get { lock (_accepted) return _accepted.Count; }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        try
        {
            await _acceptLoop;
        }
        catch (OperationCanceledException)
        {
        }

        lock (_accepted)
        {
            foreach (var client in _accepted) client.Dispose();
        }
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            lock (_accepted) _accepted.Add(client);
            if (_closeAfterRequest) _ = CloseAfterRequestHeadAsync(client);
        }
    }

    private async Task CloseAfterRequestHeadAsync(TcpClient client)
    {
        var buffer = new byte[4096];
        var seen = new List<byte>();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        try
        {
            var stream = client.GetStream();
            while (!EndsWithBlankLine(seen))
            {
                var read = await stream.ReadAsync(buffer, timeout.Token);
                if (read == 0) break;
                seen.AddRange(buffer.AsSpan(0, read).ToArray());
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
        {
        }

        client.Close();
    }

    private static bool EndsWithBlankLine(List<byte> bytes) =>
        bytes.Count >= 4 && bytes[^4] == '\r' && bytes[^3] == '\n' && bytes[^2] == '\r' && bytes[^1] == '\n';
}
