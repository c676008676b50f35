namespace ApicastSidecarProxy.Caching;

/// <summary>
/// Passes a response body through to the client and records it on the way: while it equals the answer already
/// stored it is only compared (the usual case, a configuration downloaded again, costs no copy); from the first
/// difference on it is copied, up to a limit past which nothing is kept.
/// </summary>
/// <param name="previous">The body stored so far, or null when there is none.</param>
/// <param name="expectedLength">The response's Content-Length once known, to size the copy at once.</param>
public sealed class ResponseRecorder(Stream inner, byte[]? previous, long maxBytes, Func<long?> expectedLength) : Stream
{
    private long _length;
    private bool _differs = previous is null;
    private byte[]? _copy;
    private bool _tooLarge;

    /// <summary>Whether the body outgrew the limit (nothing of it is kept).</summary>
    public bool TooLarge => _tooLarge;

    /// <summary>Whether the body was byte for byte the previous one.</summary>
    public bool SameAsPrevious => !_differs && !_tooLarge && _length == previous!.Length;

    /// <summary>The body as received when it differs from the previous one and was kept whole; otherwise null.</summary>
    public byte[]? ChangedBody()
    {
        if (_tooLarge || SameAsPrevious)
        {
            return null;
        }

        var source = _differs ? _copy ?? [] : previous!; // not differing but shorter: a prefix of the previous body
        return source.Length == _length ? source : source.AsSpan(0, (int)_length).ToArray();
    }

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count)
    {
        inner.Write(buffer, offset, count);
        Record(buffer.AsSpan(offset, count));
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await inner.WriteAsync(buffer, cancellationToken);
        Record(buffer.Span);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush() => inner.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    private void Record(ReadOnlySpan<byte> chunk)
    {
        if (_tooLarge)
        {
            return;
        }

        if (_length + chunk.Length > maxBytes)
        {
            _tooLarge = true;
            return;
        }

        if (!_differs)
        {
            if (_length + chunk.Length <= previous!.Length && chunk.SequenceEqual(previous.AsSpan((int)_length, chunk.Length)))
            {
                _length += chunk.Length;
                return;
            }

            _differs = true;
            Append(previous.AsSpan(0, (int)_length), from: 0);
        }

        Append(chunk, from: _length);
        _length += chunk.Length;
    }

    private void Append(ReadOnlySpan<byte> bytes, long from)
    {
        var needed = (int)(from + bytes.Length);
        if (_copy is null || _copy.Length < needed)
        {
            // Exactly the announced length when there is one (the array is then kept as it is), else doubling.
            var size = expectedLength() is { } announced && announced >= needed && announced <= maxBytes
                ? (int)announced
                : (int)Math.Min(maxBytes, Math.Max(needed, (_copy?.Length ?? 8192) * 2L));
            var grown = GC.AllocateUninitializedArray<byte>(size);
            _copy?.AsSpan(0, (int)from).CopyTo(grown);
            _copy = grown;
        }

        bytes.CopyTo(_copy.AsSpan((int)from));
    }
}
