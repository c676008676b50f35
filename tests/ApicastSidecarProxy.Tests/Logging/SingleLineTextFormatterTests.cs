using System.Net;
using System.Text.RegularExpressions;
using ApicastSidecarProxy.Logging;
using ApicastSidecarProxy.Redaction;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace ApicastSidecarProxy.Tests.Logging;

public partial class SingleLineTextFormatterTests
{
    private const string Timestamp = @"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z ";

    public static TheoryData<LogLevel, string, int, string?, string?> Entries => new()
    {
        { LogLevel.Information, "startup", 100, "listening on 127.0.0.1:9090", null },
        { LogLevel.Trace, "a", 0, "t", null },
        { LogLevel.Debug, "access", 3, "route=portal request headers: Accept: */*", null },
        { LogLevel.Warning, "access", 2, "two\nlines", null },
        { LogLevel.Error, "Microsoft.AspNetCore.Server.Kestrel", -7, "failed", "boom" },
        { LogLevel.Critical, "c", 12345, "", "only the exception" },
        { LogLevel.Error, "c", 1, null, "no message" },
        { LogLevel.Information, "c", 1, null, null },
        { LogLevel.Information, "c", int.MinValue, "", null },
    };

    [Theory]
    [MemberData(nameof(Entries))]
    public void Lines_AreThoseOfDotNetsSimpleConsoleFormatter_AsTheSidecarConfiguredIt(
        LogLevel level, string category, int eventId, string? message, string? exceptionMessage)
    {
        var exception = exceptionMessage is null ? null : Thrown(exceptionMessage);
        var entry = new LogEntry<string?>(level, category, new EventId(eventId), message, exception, (m, _) => m!);

        var ours = Write(new SingleLineTextFormatter(), entry);
        var theirs = Write(SimpleConsoleFormatter(), entry);

        Assert.Equal(WithoutTimestamp(theirs), WithoutTimestamp(ours));
        Assert.Equal(theirs.Length, ours.Length);
        if (theirs.Length > 0)
        {
            Assert.Matches("^" + Timestamp, ours);
        }
    }

    [Fact]
    public void TheTimestamp_IsUtcNow_ToTheMillisecond()
    {
        var before = DateTime.UtcNow;
        var line = Write(new SingleLineTextFormatter(), new LogEntry<string>(LogLevel.Information, "c", default, "m", null, (m, _) => m));
        var after = DateTime.UtcNow;

        var stamp = DateTime.ParseExact(line[..24], "yyyy-MM-ddTHH:mm:ss.fffZ", null,
            System.Globalization.DateTimeStyles.AdjustToUniversal | System.Globalization.DateTimeStyles.AssumeUniversal);
        Assert.InRange(stamp, before.AddMilliseconds(-1), after);
    }

    [Theory]
    [InlineData("/transactions/authrep.xml?service_token=T0K&service_id=42&user_key=K3Y&usage%5Bhits%5D=1")]
    [InlineData("/admin/api/services.json")]
    [InlineData("/a?b=1")]
    public void TheAccessLine_IsWhatTheSourceGeneratedMessageWrote_WithTheTargetMasked(string target)
    {
        var record = new ExchangeLogRecord("backend", "GET", target, 200, 12.44, 0, 312, "-", IPAddress.Loopback,
            proxy: "http://proxy-b.corp:3128");
        var logger = new CapturingLogger();
        GeneratedExchange(logger, "backend", "GET", QueryRedactor.RedactTarget(target), 200, 12.44, 0, 312, "-", "127.0.0.1",
            "http://proxy-b.corp:3128");
        var generated = Assert.Single(logger.Entries);

        var line = Write(new SingleLineTextFormatter(), Entry(record));

        Assert.Equal(generated.Message, record.ToString());
        Assert.Equal(generated.State, record.ToList());
        Assert.Matches("^" + Timestamp + "info: access\\[1\\] " + Regex.Escape(generated.Message) + "\n$", line);
        Assert.DoesNotContain("T0K", line);
        Assert.DoesNotContain("K3Y", line);
    }

    [Theory]
    [InlineData("/x\rFORGED", "/x%0DFORGED")]
    [InlineData("/x\u001b[2J\tT?user_key=k\u007f", "/x%1B[2J%09T?user_key=***")]
    [InlineData("/ok", "/ok")]
    public void ControlCharactersInTheTarget_AreWrittenAsPercentEscapes(string target, string written)
    {
        var record = new ExchangeLogRecord("backend", "GET", target, 400, 0.1, 0, 100, "bad_request_target");

        var line = Write(new SingleLineTextFormatter(), Entry(record));

        Assert.Contains($" path={written} status=400 ", line);
        Assert.Equal(line.Length - 1, line.TrimEnd('\n').Length);
        Assert.DoesNotContain(line[..^1], char.IsControl);
    }

    [Fact]
    public void AnAccessLineLongerThanTheStackBuffer_IsWrittenWhole()
    {
        var target = "/a?user_key=secret&x=" + new string('y', 5000);
        var record = new ExchangeLogRecord("portal", "POST", target, 201, 1, 2, 3, "-");

        var line = Write(new SingleLineTextFormatter(), Entry(record));

        Assert.EndsWith(" route=portal method=POST path=/a?user_key=***&x=" + new string('y', 5000)
            + " status=201 duration_ms=1.0 bytes_in=2 bytes_out=3 error=- client=- proxy=-\n", line);
    }

    [Fact]
    public void TheFailedAccessLine_IsWhatTheSourceGeneratedMessageWrote_OnOneLine()
    {
        var record = new ExchangeLogRecord("portal", "GET", "/a?user_key=K3Y", 502, 3.14, 0, 166, "proxy_auth_failed",
            IPAddress.IPv6Loopback, null, "proxy", "rejected\r\nthe credentials", "DIRECT");
        var logger = new CapturingLogger();
        GeneratedExchangeFailed(logger, "portal", "GET", "/a?user_key=***", 502, 3.14, 0, 166, "proxy_auth_failed", "::1",
            "DIRECT", "proxy", "rejected  the credentials");
        var generated = Assert.Single(logger.Entries);

        var line = Write(new SingleLineTextFormatter(), new LogEntry<ExchangeLogRecord>(LogLevel.Warning, AccessLog.Category,
            new EventId(2, "ExchangeFailed"), record, null, ExchangeLogRecord.Format));

        Assert.Equal(generated.Message, record.ToString());
        Assert.Equal(generated.State.Select(f => f.Key), record.Select(f => f.Key));
        Assert.Matches("^" + Timestamp + "warn: access\\[2\\] " + Regex.Escape(generated.Message) + "\n$", line);
    }

    [Theory]
    [InlineData("10.1.2.3", "10.1.2.3")]
    [InlineData("::ffff:192.168.0.7", "192.168.0.7")]
    [InlineData("2001:db8::1", "2001:db8::1")]
    public void TheClientAddress_IsWrittenAsAReaderExpectsIt(string address, string written)
    {
        var record = new ExchangeLogRecord("backend", "GET", "/", 200, 1, 0, 0, "-", IPAddress.Parse(address));

        Assert.EndsWith($" error=- client={written} proxy=-\n", Write(new SingleLineTextFormatter(), Entry(record)));
    }

    [Fact]
    public void WritingAnAccessLine_AllocatesNothing_FromTheLoggerToTheBatch()
    {
        using var output = new LogBatchWriter(Stream.Null);
        using var provider = new BatchedConsoleLoggerProvider(new SingleLineTextFormatter(), output);
        using var factory = LoggerFactory.Create(logging => logging.AddProvider(provider));
        var logger = factory.CreateLogger(AccessLog.Category);
        const string target = "/transactions/authrep.xml?service_token=T0K&service_id=42&user_key=K3Y&usage%5Bhits%5D=1";
        var client = IPAddress.Parse("::ffff:10.0.0.7");
        const string traceParent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        AccessLog.Exchange(logger, "backend", "GET", target, 200, 1.5, 0, 312, "-", client, traceParent); // sizes the buffers
        var before = GC.GetAllocatedBytesForCurrentThread();

        for (var i = 0; i < 50; i++) // 50 lines fit the batch buffer as first sized: growing it would allocate
        {
            AccessLog.Exchange(logger, "backend", "GET", target, 200, i / 7.0, 0, 312, "-", client, traceParent);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [LoggerMessage(EventId = 1, EventName = "Exchange", Level = LogLevel.Information, Message = ExchangeLogRecord.Template)]
    private static partial void GeneratedExchange(ILogger logger, string route, string method, string path, int status,
        double durationMs, long bytesIn, long bytesOut, string error, string clientAddress, string proxy);

    [LoggerMessage(EventId = 2, EventName = "ExchangeFailed", Level = LogLevel.Warning, Message = ExchangeLogRecord.FailedTemplate)]
    private static partial void GeneratedExchangeFailed(ILogger logger, string route, string method, string path, int status,
        double durationMs, long bytesIn, long bytesOut, string error, string clientAddress, string proxy, string hop,
        string failureMessage);

    private static LogEntry<ExchangeLogRecord> Entry(ExchangeLogRecord record) =>
        new(LogLevel.Information, AccessLog.Category, new EventId(1, "Exchange"), record, null, ExchangeLogRecord.Format);

    private static string Write<TState>(ConsoleFormatter formatter, LogEntry<TState> entry)
    {
        using var writer = new StringWriter();
        formatter.Write(entry, null, writer);
        return writer.ToString();
    }

    private static string WithoutTimestamp(string line) => Regex.Replace(line, "^" + Timestamp, "");

    private static ConsoleFormatter SimpleConsoleFormatter()
    {
        var services = new ServiceCollection().AddLogging(logging => logging.AddSimpleConsole(console =>
        {
            console.SingleLine = true;
            console.ColorBehavior = LoggerColorBehavior.Disabled;
            console.UseUtcTimestamp = true;
            console.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
        })).BuildServiceProvider();
        return services.GetServices<ConsoleFormatter>().Single(f => f.Name == ConsoleFormatterNames.Simple);
    }

    private static Exception Thrown(string message)
    {
        try
        {
            throw new InvalidOperationException(message);
        }
        catch (InvalidOperationException exception)
        {
            return exception; // with a stack trace, so its text spans lines
        }
    }

    private sealed class CapturingLogger : ILogger
    {
        public List<(string Message, List<KeyValuePair<string, object?>> State)> Entries { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception,
            Func<TState, Exception?, string> formatter) =>
            Entries.Add((formatter(state, exception), ((IEnumerable<KeyValuePair<string, object?>>)state!).ToList()));
    }
}
