namespace ApicastSidecarProxy.Egress;

/// <summary>
/// Takes a tunnel through a SOCKS proxy from SocketsHttpHandler, which opens it (handshake, user and password, its
/// errors) but never hands it out. A request marked with a capture is sent to <c>http://HOST:PORT/</c> through the
/// SOCKS proxy; once the tunnel is open, <see cref="Filter"/> keeps the tunnel's stream and gives the handler a stream
/// that refuses the first write, so the request fails before a single byte reached the destination, and the tunnel is
/// the caller's. Requests without a capture pass through the filter untouched.
/// </summary>
public sealed class SocksTunnelCapture
{
    private static readonly HttpRequestOptionsKey<SocksTunnelCapture> Key = new("apicast-sidecar-proxy.socks-tunnel");

    /// <summary>The tunnel, once the proxy opened it.</summary>
    public Stream? Tunnel { get; private set; }

    public void Attach(HttpRequestMessage request) => request.Options.Set(Key, this);

    public static ValueTask<Stream> Filter(SocketsHttpPlaintextStreamFilterContext context, CancellationToken cancellationToken)
    {
        if (!context.InitialRequestMessage.Options.TryGetValue(Key, out var capture))
        {
            return ValueTask.FromResult(context.PlaintextStream);
        }

        capture.Tunnel = context.PlaintextStream;
        return ValueTask.FromResult<Stream>(new HandedOverStream());
    }

    /// <summary>What the handler is left with: it fails the request at its first write.</summary>
    private sealed class HandedOverStream : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw HandedOver();

        public override void Write(byte[] buffer, int offset, int count) => throw HandedOver();

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
            ValueTask.FromException(HandedOver());

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            ValueTask.FromException<int>(HandedOver());

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        private static IOException HandedOver() => new("the tunnel was handed over to the forward-proxy listener");
    }
}
