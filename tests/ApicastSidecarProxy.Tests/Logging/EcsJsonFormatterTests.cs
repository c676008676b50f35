using System.Net;
using System.Text.Json;
using ApicastSidecarProxy.Logging;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ApicastSidecarProxy.Tests.Logging;

public class EcsJsonFormatterTests
{
    private const string TraceParent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    [Fact]
    public void AnExchange_HasTheOpenTelemetryAndEcsFields_WithTheQueryMasked()
    {
        var record = new ExchangeLogRecord("backend", "GET", "/transactions/authrep.xml?service_token=T0K&service_id=42&user_key=K3Y",
            200, 12.44, 5, 312, "-", IPAddress.Parse("::ffff:10.0.0.7"), TraceParent);

        var (line, json) = Write(LogLevel.Information, 1, record);

        Assert.Equal(
            ["@timestamp", "log.level", "log.logger", "event.code", "message", "sidecar.route", "http.request.method", "url.path",
             "url.query", "http.response.status_code", "event.duration", "http.request.body.bytes", "http.response.body.bytes",
             "client.address", "sidecar.proxy", "trace.id"],
            json.EnumerateObject().Select(p => p.Name));
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", json.GetProperty("@timestamp").GetString());
        Assert.Equal("info", json.GetProperty("log.level").GetString());
        Assert.Equal("access", json.GetProperty("log.logger").GetString());
        Assert.Equal("1", json.GetProperty("event.code").GetString());
        Assert.Equal(record.ToString(), json.GetProperty("message").GetString());
        Assert.Equal("backend", json.GetProperty("sidecar.route").GetString());
        Assert.Equal("GET", json.GetProperty("http.request.method").GetString());
        Assert.Equal("/transactions/authrep.xml", json.GetProperty("url.path").GetString());
        Assert.Equal("service_token=***&service_id=42&user_key=***", json.GetProperty("url.query").GetString());
        Assert.Equal(200, json.GetProperty("http.response.status_code").GetInt32());
        Assert.Equal(12_440_000, json.GetProperty("event.duration").GetInt64()); // nanoseconds
        Assert.Equal(5, json.GetProperty("http.request.body.bytes").GetInt64());
        Assert.Equal(312, json.GetProperty("http.response.body.bytes").GetInt64());
        Assert.Equal("10.0.0.7", json.GetProperty("client.address").GetString());
        Assert.Equal("4bf92f3577b34da6a3ce929d0e0e4736", json.GetProperty("trace.id").GetString());
        Assert.DoesNotContain("T0K", line);
        Assert.DoesNotContain("K3Y", line);
    }

    [Fact]
    public void AFailedExchange_NamesTheErrorTypeHopAndMessage_AndAMalformedTraceparentIsLeftOut()
    {
        var record = new ExchangeLogRecord("portal", "GET", "/admin/api/services.json", 502, 3.1, 0, 166, "proxy_auth_failed",
            null, "00-not-a-trace", "proxy", "the proxy rejected the Basic credentials");

        var (_, json) = Write(LogLevel.Warning, 2, record);

        Assert.Equal("warn", json.GetProperty("log.level").GetString());
        Assert.Equal("proxy_auth_failed", json.GetProperty("error.type").GetString());
        Assert.Equal("proxy", json.GetProperty("sidecar.hop").GetString());
        Assert.Equal("the proxy rejected the Basic credentials", json.GetProperty("error.message").GetString());
        Assert.Equal("/admin/api/services.json", json.GetProperty("url.path").GetString());
        Assert.False(json.TryGetProperty("url.query", out _));
        Assert.False(json.TryGetProperty("trace.id", out _));
        Assert.False(json.TryGetProperty("client.address", out _));
    }

    [Fact]
    public void OtherLines_HaveTheirMessage_KnownFields_AndNeitherTemplateNorPlaceholders()
    {
        var state = new List<KeyValuePair<string, object?>>
        {
            new("Route", "portal"), new("Error", "proxy_unreachable"), new("Hop", "proxy"), new("FailureMessage", "refused"),
            new("Status", 503), new("{OriginalFormat}", "route={Route} not ready: error={Error} hop={Hop} message={FailureMessage}"),
        };

        var (line, json) = Write(LogLevel.Warning, 201, state, "readiness", (_, _) => "route=portal not ready: error=proxy_unreachable");

        Assert.Equal("route=portal not ready: error=proxy_unreachable", json.GetProperty("message").GetString());
        Assert.Equal("portal", json.GetProperty("sidecar.route").GetString());
        Assert.Equal("proxy_unreachable", json.GetProperty("error.type").GetString());
        Assert.Equal("proxy", json.GetProperty("sidecar.hop").GetString());
        Assert.Equal("refused", json.GetProperty("error.message").GetString());
        Assert.DoesNotContain("OriginalFormat", line);
        Assert.DoesNotContain("{Route}", line);
        Assert.DoesNotContain("\"State\"", line);
        Assert.DoesNotContain("\"Status\"", line);
    }

    [Fact]
    public void AnException_IsErrorTypeMessageAndStackTrace_OnOneLine()
    {
        var exception = Thrown();

        var (line, json) = Write(LogLevel.Error, 0, "failed", "sidecar", (m, _) => m, exception);

        Assert.Equal("System.InvalidOperationException", json.GetProperty("error.type").GetString());
        Assert.Equal("boom\non two lines", json.GetProperty("error.message").GetString());
        Assert.Contains(nameof(Thrown), json.GetProperty("error.stack_trace").GetString());
        Assert.False(json.TryGetProperty("event.code", out _));
        Assert.Single(line.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void AnEmptyEntry_WritesNothing()
    {
        using var writer = new StringWriter();
        new EcsJsonFormatter().Write(new LogEntry<string?>(LogLevel.Information, "c", default, null, null, (m, _) => m!), null, writer);

        Assert.Equal("", writer.ToString());
    }

    private static (string Line, JsonElement Json) Write(LogLevel level, int eventId, ExchangeLogRecord record) =>
        Write(level, eventId, record, AccessLog.Category, ExchangeLogRecord.Format);

    private static (string Line, JsonElement Json) Write<TState>(LogLevel level, int eventId, TState state, string category,
        Func<TState, Exception?, string> format, Exception? exception = null)
    {
        using var writer = new StringWriter();
        new EcsJsonFormatter().Write(new LogEntry<TState>(level, category, new EventId(eventId), state, exception, format), null, writer);
        var line = writer.ToString();
        Assert.EndsWith("\n", line);
        return (line, JsonDocument.Parse(line).RootElement.Clone());
    }

    private static Exception Thrown()
    {
        try
        {
            throw new InvalidOperationException("boom\non two lines");
        }
        catch (InvalidOperationException exception)
        {
            return exception;
        }
    }
}
