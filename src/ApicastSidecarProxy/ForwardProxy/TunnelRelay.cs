using System.Buffers;
using System.IO.Pipelines;

namespace ApicastSidecarProxy.ForwardProxy;

/// <summary>
/// Relays an open tunnel's bytes both ways, untouched (TLS stays end to end between the client and the destination),
/// until either side closes or nothing moves either way for the idle timeout (UPSTREAM_TIMEOUT).
/// </summary>
public static class TunnelRelay
{
    private const int BufferSize = 16 * 1024;

    /// <returns>Bytes from the client to the destination, and back.</returns>
    public static async Task<(long Sent, long Received)> RunAsync(IDuplexPipe client, Stream tunnel, TimeSpan idleTimeout,
        CancellationToken clientGone)
    {
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(clientGone);
        idle.CancelAfter(idleTimeout);
        var sent = new Counter();
        var received = new Counter();
        var toDestination = CopyAsync(client.Input.AsStream(leaveOpen: true), tunnel, sent, idle, idleTimeout);
        var toClient = CopyAsync(tunnel, client.Output.AsStream(leaveOpen: true), received, idle, idleTimeout);
        await Task.WhenAny(toDestination, toClient);
        await idle.CancelAsync(); // one side is done: the tunnel is
        await Task.WhenAll(toDestination, toClient);
        return (sent.Bytes, received.Bytes);
    }

    private static async Task CopyAsync(Stream from, Stream to, Counter counter, CancellationTokenSource idle, TimeSpan idleTimeout)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            while (true)
            {
                var read = await from.ReadAsync(buffer, idle.Token);
                if (read == 0)
                {
                    return;
                }

                // Counted when handed on: the tunnel's end (the other side closing) cancels a flush whose bytes the
                // peer may already have received, which then went uncounted (bytes_out=0 for an echoed "ping").
                counter.Bytes += read;
                await to.WriteAsync(buffer.AsMemory(0, read), idle.Token);
                await to.FlushAsync(idle.Token);
                idle.CancelAfter(idleTimeout);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException)
        {
            // Closed, reset or idle: the tunnel ends; what was relayed is counted.
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private sealed class Counter
    {
        public long Bytes;
    }
}
