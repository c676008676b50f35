using System.Buffers;
using System.Collections;
using System.Globalization;

namespace ApicastSidecarProxy.Observability;

/// <summary>
/// The access-log line of one exchange, as logger state. It holds the request target as sent and masks its secrets
/// whenever it is read. It formats itself into a span, so the text formatter writes the line without building the
/// message as a string; structured formatters (JSON) read its fields by name, as from a source-generated message.
/// No field can break the line: route names and error codes are ours, Kestrel refuses a line break in a method, and the
/// target is written as <see cref="LoggedTarget"/> shows it.
/// </summary>
public readonly struct ExchangeLogRecord(
    string route, string method, string target, int status, double durationMs, long bytesIn, long bytesOut, string error)
    : IReadOnlyList<KeyValuePair<string, object?>>, ISpanFormattable
{
    public const string Template = "route={Route} method={Method} path={Path} status={Status} duration_ms={DurationMs:F1} "
        + "bytes_in={BytesIn} bytes_out={BytesOut} error={Error}";

    public static readonly Func<ExchangeLogRecord, Exception?, string> Format = static (record, _) => record.ToString();

    public int Count => 9;

    public KeyValuePair<string, object?> this[int index] => index switch
    {
        0 => new("Route", route),
        1 => new("Method", method),
        2 => new("Path", LoggedTarget.From(target)),
        3 => new("Status", status),
        4 => new("DurationMs", durationMs),
        5 => new("BytesIn", bytesIn),
        6 => new("BytesOut", bytesOut),
        7 => new("Error", error),
        8 => new("{OriginalFormat}", Template),
        _ => throw new ArgumentOutOfRangeException(nameof(index)),
    };

    public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format = default,
        IFormatProvider? provider = null)
    {
        var line = new LineWriter(destination);
        line.Text("route=");
        line.Text(route);
        line.Text(" method=");
        line.Text(method);
        line.Text(" path=");
        line.LoggedTarget(target);
        line.Text(" status=");
        line.Value(status);
        line.Text(" duration_ms=");
        line.Value(durationMs, "F1");
        line.Text(" bytes_in=");
        line.Value(bytesIn);
        line.Text(" bytes_out=");
        line.Value(bytesOut);
        line.Text(" error=");
        line.Text(error);
        return line.Finish(out charsWritten);
    }

    public string ToString(string? format, IFormatProvider? formatProvider) => ToString();

    public override string ToString()
    {
        for (var size = 256 + route.Length + method.Length + target.Length + error.Length; ; size *= 2)
        {
            var buffer = ArrayPool<char>.Shared.Rent(size);
            try
            {
                if (TryFormat(buffer, out var written))
                {
                    return new string(buffer, 0, written);
                }
            }
            finally
            {
                ArrayPool<char>.Shared.Return(buffer);
            }
        }
    }

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
    {
        for (var i = 0; i < Count; i++)
        {
            yield return this[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    // Appends to a span until something does not fit. Values are formatted through their ISpanFormattable constraint,
    // which never boxes them (an interpolated string does box them, until the JIT has optimised its code).
    private ref struct LineWriter(Span<char> destination)
    {
        private readonly Span<char> _destination = destination;
        private int _written;
        private bool _full;

        public void Text(ReadOnlySpan<char> text)
        {
            if (!_full && text.TryCopyTo(_destination[_written..]))
            {
                _written += text.Length;
            }
            else
            {
                _full = true;
            }
        }

        public void Value<T>(T value, ReadOnlySpan<char> format = default) where T : ISpanFormattable
        {
            if (!_full && value.TryFormat(_destination[_written..], out var length, format, CultureInfo.InvariantCulture))
            {
                _written += length;
            }
            else
            {
                _full = true;
            }
        }

        public void LoggedTarget(string target)
        {
            if (!_full && Observability.LoggedTarget.TryWrite(target, _destination[_written..], out var length))
            {
                _written += length;
            }
            else
            {
                _full = true;
            }
        }

        public readonly bool Finish(out int written)
        {
            written = _full ? 0 : _written;
            return !_full;
        }
    }
}
