using System.Net;
using System.Net.Sockets;

namespace ApicastSidecarProxy.FunctionalTests.Infrastructure;

/// <summary>Loopback port helpers: never use fixed ports or sleeps for readiness.</summary>
public static class FreeTcpPort
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

    // Below the kernel's ephemeral range, where no port-0 bind lands: between Find() and the external program binding
    // the port, no sidecar, Kestrel upstream or HttpClient of a test running in parallel can take it.
    private const int FirstHandedOut = 10_000;
    private static readonly int LastHandedOut = EphemeralRangeStart() - 1;
    private static int _handedOut = Environment.ProcessId * 7919;

    /// <summary>
    /// A port free on 127.0.0.1, for TCP and UDP (a KDC binds both), for a program that binds it later. It comes from
    /// below the ephemeral range when there is room, else from the OS.
    /// </summary>
    public static int Find()
    {
        var count = LastHandedOut - FirstHandedOut + 1;
        for (var attempt = 0; count >= 1_000 && attempt < 100; attempt++)
        {
            var port = FirstHandedOut + (int)((uint)Interlocked.Increment(ref _handedOut) % (uint)count);
            if (IsFree(port))
            {
                return port;
            }
        }

        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try { return ((IPEndPoint)listener.LocalEndpoint).Port; }
        finally { listener.Stop(); }
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            tcp.Bind(new IPEndPoint(IPAddress.Loopback, port));
            using var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            udp.Bind(new IPEndPoint(IPAddress.Loopback, port));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int EphemeralRangeStart()
    {
        try
        {
            return int.Parse(File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[]?)null,
                StringSplitOptions.RemoveEmptyEntries)[0]);
        }
        catch (Exception e) when (e is IOException or FormatException or UnauthorizedAccessException)
        {
            return FirstHandedOut; // unknown: leave it to the OS
        }
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
