using System.Text.Json;
using ApicastSidecarProxy.Redaction;

namespace ApicastSidecarProxy.Logging;

/// <summary>
/// The fields of an exchange in a JSON line, named as OpenTelemetry's HTTP semantic conventions and ECS name them; the
/// sidecar's own (route, hop) under "sidecar.". Secrets stay masked: the target is written as
/// <see cref="LoggedTarget"/> shows it.
/// </summary>
public static class EcsExchangeFields
{
    private const int StackChars = 1024;

    public static void Write(Utf8JsonWriter json, in ExchangeLogRecord record)
    {
        Span<char> text = stackalloc char[StackChars];
        json.WriteString("message", record.TryFormat(text, out var length) ? text[..length] : record.ToString());
        json.WriteString("sidecar.route", record.Route);
        json.WriteString("http.request.method", record.Method);
        WriteUrl(json, LoggedTarget.TryWrite(record.Target, text, out length) ? text[..length] : LoggedTarget.From(record.Target));
        json.WriteNumber("http.response.status_code", record.Status);
        json.WriteNumber("event.duration", (long)(record.DurationMs * 1_000_000)); // ECS: nanoseconds
        json.WriteNumber("http.request.body.bytes", record.BytesIn);
        json.WriteNumber("http.response.body.bytes", record.BytesOut);
        if (record.Client is not null && record.TryFormatClient(text, out length))
        {
            json.WriteString("client.address", text[..length]);
        }

        json.WriteString("sidecar.proxy", record.Proxy);
        if (TraceParent.TryGetTraceId(record.TraceParentHeader, out var traceId))
        {
            json.WriteString("trace.id", traceId);
        }

        if (record.Failed)
        {
            json.WriteString("error.type", record.Error);
            json.WriteString("sidecar.hop", record.Hop);
            json.WriteString("error.message", record.FailureMessage);
        }
    }

    /// <summary>
    /// The fields of other lines (readiness, start-up) that have an exchange field's meaning; any other value of the
    /// message's template is in the message only.
    /// </summary>
    public static void WriteKnown(Utf8JsonWriter json, IReadOnlyList<KeyValuePair<string, object?>> fields)
    {
        foreach (var (name, value) in fields)
        {
            switch (name, value)
            {
                case ("Route", string route):
                    json.WriteString("sidecar.route", route);
                    break;
                case ("Error", string error) when error != "-":
                    json.WriteString("error.type", error);
                    break;
                case ("Hop", string hop):
                    json.WriteString("sidecar.hop", hop);
                    break;
                case ("FailureMessage", string message):
                    json.WriteString("error.message", message);
                    break;
            }
        }
    }

    // "/path?query": url.path and url.query (without the "?"), as ECS and OpenTelemetry split them.
    private static void WriteUrl(Utf8JsonWriter json, ReadOnlySpan<char> target)
    {
        var query = target.IndexOf('?');
        json.WriteString("url.path", query < 0 ? target : target[..query]);
        if (query >= 0)
        {
            json.WriteString("url.query", target[(query + 1)..]);
        }
    }
}
