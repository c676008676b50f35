using System.Buffers;
using System.Collections;
using System.Globalization;
using System.Net;
using ApicastSidecarProxy.Redaction;

namespace ApicastSidecarProxy.Logging;

/// <summary>
/// The access-log line of one exchange, as logger state. It holds the request target as sent and masks its secrets
/// whenever it is read. It formats itself into a span, so the text formatter writes the line without building the
/// message as a string; <see cref="EcsJsonFormatter"/> reads its fields; other structured formatters read them by
/// name, as from a source-generated message. A failed exchange also carries the failing hop and why.
/// No field can break the line: route names and error codes are ours, Kestrel refuses a line break in a method, the
/// target is written as <see cref="LoggedTarget"/> shows it, and control characters of a failure message become spaces.
/// </summary>
/// <param name="client">The client's address (APIcast), when known.</param>
/// <param name="traceParent">The client's traceparent header as sent, for JSON lines only (<see cref="TraceParent"/>).</param>
/// <param name="proxy">The proxy-list entry the exchange went out through (scheme://host:port or DIRECT); "-" when none was chosen.</param>
public readonly struct ExchangeLogRecord(
    string route, string method, string target, int status, double durationMs, long bytesIn, long bytesOut, string error,
    IPAddress? client = null, string? traceParent = null, string? hop = null, string? failureMessage = null, string? proxy = null)
    : IReadOnlyList<KeyValuePair<string, object?>>, ISpanFormattable
{
    public const string Template = "route={Route} method={Method} path={Path} status={Status} duration_ms={DurationMs:F1} "
        + "bytes_in={BytesIn} bytes_out={BytesOut} error={Error} client={ClientAddress} proxy={Proxy}";

    public const string FailedTemplate = Template + " hop={Hop} message={FailureMessage}";

    public static readonly Func<ExchangeLogRecord, Exception?, string> Format = static (record, _) => record.ToString();

    // An IPv6 address is at most 45 characters (IPv4-mapped, with "::ffff:").
    private const int MaxAddressChars = 46;

    public string Route => route;

    public string Method => method;

    /// <summary>The request target as sent: read it through <see cref="LoggedTarget"/>.</summary>
    public string Target => target;

    public int Status => status;

    public double DurationMs => durationMs;

    public long BytesIn => bytesIn;

    public long BytesOut => bytesOut;

    /// <summary>The error code, "-" when the exchange succeeded.</summary>
    public string Error => error;

    public IPAddress? Client => client;

    public string? TraceParentHeader => traceParent;

    /// <summary>The failing hop; null when the exchange succeeded.</summary>
    public string? Hop => hop;

    public string? FailureMessage => failureMessage;

    public string Proxy => proxy ?? "-";

    public bool Failed => hop is not null;

    public int Count => Failed ? 13 : 11;

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
        8 => new("ClientAddress", ClientText()),
        9 => new("Proxy", Proxy),
        10 when Failed => new("Hop", hop),
        11 when Failed => new("FailureMessage", failureMessage),
        _ when index == Count - 1 => new("{OriginalFormat}", Failed ? FailedTemplate : Template),
        _ => throw new ArgumentOutOfRangeException(nameof(index)),
    };

    /// <summary>Writes the client's address as logged ("-" when unknown, an IPv4-mapped address as IPv4).</summary>
    public bool TryFormatClient(Span<char> destination, out int charsWritten)
    {
        if (client is null)
        {
            charsWritten = destination.IsEmpty ? 0 : 1;
            if (charsWritten == 1)
            {
                destination[0] = '-';
            }

            return charsWritten == 1;
        }

        Span<char> address = stackalloc char[MaxAddressChars];
        client.TryFormat(address, out var length);
        var text = address[..length];
        if (client.IsIPv4MappedToIPv6 && text.LastIndexOf(':') is var colon and >= 0)
        {
            text = text[(colon + 1)..]; // "::ffff:127.0.0.1" is 127.0.0.1 to a reader
        }

        charsWritten = text.TryCopyTo(destination) ? text.Length : 0;
        return charsWritten == text.Length;
    }

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
        line.Text(" client=");
        line.Client(this);
        line.Text(" proxy=");
        line.Text(Proxy);
        if (Failed)
        {
            line.Text(" hop=");
            line.Text(hop);
            line.Text(" message=");
            line.OneLine(failureMessage);
        }

        return line.Finish(out charsWritten);
    }

    public string ToString(string? format, IFormatProvider? formatProvider) => ToString();

    public override string ToString()
    {
        for (var size = 320 + route.Length + method.Length + target.Length + error.Length + (failureMessage?.Length ?? 0); ; size *= 2)
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

    private string ClientText()
    {
        Span<char> text = stackalloc char[MaxAddressChars];
        TryFormatClient(text, out var written);
        return text[..written].ToString();
    }

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

        /// <summary>The text with each control character (a line break, an escape) written as a space.</summary>
        public void OneLine(ReadOnlySpan<char> text)
        {
            var start = _written;
            Text(text);
            if (!_full)
            {
                foreach (ref var c in _destination[start.._written])
                {
                    if (char.IsControl(c))
                    {
                        c = ' ';
                    }
                }
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
            if (!_full && Redaction.LoggedTarget.TryWrite(target, _destination[_written..], out var length))
            {
                _written += length;
            }
            else
            {
                _full = true;
            }
        }

        public void Client(in ExchangeLogRecord record)
        {
            if (!_full && record.TryFormatClient(_destination[_written..], out var length))
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
