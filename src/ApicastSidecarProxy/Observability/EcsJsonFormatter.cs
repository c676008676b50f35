using System.Buffers;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace ApicastSidecarProxy.Observability;

/// <summary>
/// LOG_FORMAT=json: one object per line with the field names of OpenTelemetry's semantic conventions and ECS, which log
/// pipelines (Elastic, Loki, OpenSearch) already understand: @timestamp, log.level, log.logger, message; for an exchange
/// http.request.method, url.path, url.query (masked), http.response.status_code, event.duration (nanoseconds, as ECS),
/// client.address, trace.id from the client's traceparent, error.type on failures. Written with Utf8JsonWriter (no
/// reflection, so Native AOT keeps it). .NET's JSON console formatter wrote its own names and each message's template
/// ({OriginalFormat}) and placeholder values instead.
/// </summary>
public sealed class EcsJsonFormatter() : ConsoleFormatter(FormatterName)
{
    public const string FormatterName = "sidecar-json";

    private const int StackChars = 1024;

    // Logs are no HTML: '&' in a query stays '&' rather than \u0026. Quotes and control characters are still escaped.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_json;

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider,
        TextWriter textWriter)
    {
        var isExchange = typeof(TState) == typeof(ExchangeLogRecord);
        var message = isExchange ? null : logEntry.Formatter(logEntry.State, logEntry.Exception);
        if (!isExchange && message is null && logEntry.Exception is null)
        {
            return;
        }

        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(2048);
        buffer.ResetWrittenCount();
        var json = t_json ??= new Utf8JsonWriter(buffer, WriterOptions);
        json.Reset(buffer);

        json.WriteStartObject();
        WriteHeader(json, logEntry.LogLevel, logEntry.Category, logEntry.EventId.Id);
        if (isExchange)
        {
            var state = logEntry.State;
            EcsExchangeFields.Write(json, Unsafe.As<TState, ExchangeLogRecord>(ref state));
        }
        else
        {
            json.WriteString("message", message);
            if (logEntry.State is IReadOnlyList<KeyValuePair<string, object?>> fields)
            {
                EcsExchangeFields.WriteKnown(json, fields);
            }
        }

        if (logEntry.Exception is { } exception)
        {
            json.WriteString("error.type", exception.GetType().FullName);
            json.WriteString("error.message", exception.Message);
            json.WriteString("error.stack_trace", exception.ToString());
        }

        json.WriteEndObject();
        json.Flush();
        WriteUtf8(textWriter, buffer.WrittenSpan);
        textWriter.Write(Environment.NewLine);
        if (buffer.Capacity > 64 * 1024)
        {
            t_buffer = null; // an unusually long line (a stack trace): its buffer is not kept by this thread
            t_json = null;
        }
    }

    private static void WriteHeader(Utf8JsonWriter json, LogLevel level, string category, int eventId)
    {
        // "O" is the round-trip pattern in UTC, cut after the milliseconds, as the text format's timestamp.
        Span<char> text = stackalloc char[32];
        DateTime.UtcNow.TryFormat(text, out _, "O", CultureInfo.InvariantCulture);
        text[23] = 'Z';
        json.WriteString("@timestamp", text[..24]);
        json.WriteString("log.level", LevelName(level));
        json.WriteString("log.logger", category);
        if (eventId != 0)
        {
            eventId.TryFormat(text, out var digits, default, CultureInfo.InvariantCulture);
            json.WriteString("event.code", text[..digits]);
        }
    }

    private static void WriteUtf8(TextWriter textWriter, ReadOnlySpan<byte> utf8)
    {
        var rented = utf8.Length <= StackChars ? null : ArrayPool<char>.Shared.Rent(utf8.Length);
        try
        {
            Span<char> chars = rented ?? stackalloc char[StackChars];
            var length = Encoding.UTF8.GetChars(utf8, chars); // never more chars than bytes
            textWriter.Write(chars[..length]);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<char>.Shared.Return(rented);
            }
        }
    }

    private static string LevelName(LogLevel level) => level switch
    {
        LogLevel.Trace => "trace",
        LogLevel.Debug => "debug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warn",
        LogLevel.Error => "error",
        LogLevel.Critical => "critical",
        _ => throw new ArgumentOutOfRangeException(nameof(level)),
    };
}
