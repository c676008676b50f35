using System.Net;
using System.Net.Sockets;

namespace ApicastSidecarProxy.FunctionalTests.Infrastructure;

/// <summary>Loopback port helpers: never use fixed ports or sleeps for readiness.</summary>
public static class FreeTcpPort
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

    /// <summary>A port that was free on 127.0.0.1 a moment ago (the OS picked it).</summary>
    public static int Find()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try { return ((IPEndPoint)listener.LocalEndpoint).Port; }
        finally { listener.Stop(); }
    }

    /// <summary>Polls a TCP connect to 127.0.0.1:<paramref name="port"/> every 50 ms until it succeeds.</summary>
    /// <exception cref="TimeoutException">Nothing accepted within <paramref name="timeout"/>.</exception>
    public static async Task WaitUntilAcceptingAsync(int port, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        SocketException? last = null;
        while (true)
        {
            try
            {
                using var client = new TcpClient(AddressFamily.InterNetwork);
                await client.ConnectAsync(IPAddress.Loopback, port, deadline.Token);
                return;
            }
            catch (SocketException e)
            {
                last = e;
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                break;
            }
            try { await Task.Delay(PollInterval, deadline.Token); }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested) { break; }
        }
        throw new TimeoutException(
            $"Nothing accepted TCP connections on 127.0.0.1:{port} within {timeout.TotalSeconds:0.#} s" +
            (last is null ? "." : $" (last error: {last.SocketErrorCode})."));
    }
}
