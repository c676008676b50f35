using System.Net;
using System.Net.Sockets;

namespace ApicastSidecarProxy.FunctionalTests.Infrastructure;

/// <summary>
/// A "proxy" that accepts TCP connections and never answers: the fault a real proxy cannot produce on demand, for
/// connect-timeout tests. Counts the connections it accepted.
/// </summary>
public sealed class SilentProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly List<TcpClient> _accepted = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _acceptLoop;

    public SilentProxy()
    {
        _listener.Start();
        _acceptLoop = AcceptAsync();
    }

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
        }
    }
}
