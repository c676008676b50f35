using System.Security.Cryptography;

namespace ApicastSidecarProxy.FunctionalTests.Infrastructure;

/// <summary>
/// A read-only, non-seekable stream of <c>length</c> pseudo-random bytes that are always the same
/// (xorshift64* from a fixed seed). Lets tests send or expect large bodies without holding them in memory.
/// </summary>
public sealed class DeterministicStream(long length) : Stream
{
    private ulong _state = 0x9E3779B97F4A7C15UL;
    private long _position;
    private ulong _pending;
    private int _pendingBytes;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => length;

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    /// <summary>Lowercase hex SHA-256 of the first <paramref name="length"/> bytes of the sequence.</summary>
    public static string Sha256Hex(long length)
    {
        using var stream = new DeterministicStream(length);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var count = (int)Math.Min(buffer.Length, length - _position);
        for (var i = 0; i < count; i++)
        {
            if (_pendingBytes == 0)
            {
                _pending = Next();
                _pendingBytes = 8;
            }
            buffer[i] = (byte)_pending;
            _pending >>= 8;
            _pendingBytes--;
        }
        _position += count;
        return count;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Read(buffer.Span));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Task.FromResult(Read(buffer.AsSpan(offset, count)));

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private ulong Next()
    {
        _state ^= _state >> 12;
        _state ^= _state << 25;
        _state ^= _state >> 27;
        return _state * 0x2545F4914F6CDD1DUL;
    }
}
