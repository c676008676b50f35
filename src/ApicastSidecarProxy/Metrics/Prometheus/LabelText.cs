using System.Buffers;
using System.Globalization;

namespace ApicastSidecarProxy.Metrics.Prometheus;

/// <summary>
/// A series' label text, built in a caller's stack buffer (growing into a pooled array only for unusually long
/// labels), so finding an existing series costs no allocation.
/// </summary>
public ref struct LabelText(Span<char> initialBuffer)
{
    private Span<char> _chars = initialBuffer;
    private char[]? _rented;
    private int _length;

    public readonly ReadOnlySpan<char> AsSpan() => _chars[.._length];

    public void Append(char value)
    {
        Reserve(1);
        _chars[_length++] = value;
    }

    public void Append(scoped ReadOnlySpan<char> value)
    {
        Reserve(value.Length);
        value.CopyTo(_chars[_length..]);
        _length += value.Length;
    }

    public void Append(long value)
    {
        Reserve(20);
        value.TryFormat(_chars[_length..], out var written, provider: CultureInfo.InvariantCulture);
        _length += written;
    }

    public readonly void Dispose()
    {
        if (_rented is not null)
        {
            ArrayPool<char>.Shared.Return(_rented);
        }
    }

    private void Reserve(int more)
    {
        if (_length + more <= _chars.Length)
        {
            return;
        }

        var larger = ArrayPool<char>.Shared.Rent(Math.Max(_chars.Length * 2, _length + more));
        _chars[.._length].CopyTo(larger);
        if (_rented is not null)
        {
            ArrayPool<char>.Shared.Return(_rented);
        }

        _rented = larger;
        _chars = larger;
    }
}
