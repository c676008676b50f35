using System.Net.Sockets;

namespace ApicastSidecarProxy.Egress;

/// <summary>A connection to the proxy that reports its closing once, for the open-tunnels gauge.</summary>
public sealed class ProxyConnectionStream(Socket socket, Action onClosed) : NetworkStream(socket, ownsSocket: true)
{
    private int _closed;

    protected override void Dispose(bool disposing)
    {
        if (Interlocked.Exchange(ref _closed, 1) == 0)
        {
            onClosed();
        }

        base.Dispose(disposing);
    }
}
