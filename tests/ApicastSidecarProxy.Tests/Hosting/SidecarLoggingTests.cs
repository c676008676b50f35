using System.Net;
using System.Text;
using System.Text.Json;
using ApicastSidecarProxy.Configuration;
using ApicastSidecarProxy.Hosting;
using ApicastSidecarProxy.Logging;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ApicastSidecarProxy.Tests.Hosting;

public class SidecarLoggingTests
{
    [Theory]
    [InlineData(LogFormat.Text)]
    [InlineData(LogFormat.Json)]
    public void HostingDiagnostics_IsOff_SoNoActivityIsStartedPerRequest(LogFormat format)
    {
        using var output = new LogBatchWriter(Stream.Null);
        using var services = LoggingServices(new LogOptions { Format = format, Level = LogLevel.Trace }, output);
        var factory = services.GetRequiredService<ILoggerFactory>();

        Assert.False(factory.CreateLogger(SidecarLogging.HostingDiagnosticsCategory).IsEnabled(LogLevel.Critical));
        Assert.True(factory.CreateLogger(AccessLog.Category).IsEnabled(LogLevel.Debug));
        Assert.True(factory.CreateLogger("Microsoft.AspNetCore.Server.Kestrel").IsEnabled(LogLevel.Warning));
    }

    [Fact]
    public void TextLines_AreSingleLines_WithTargetsMasked_WrittenThroughTheBatchWriter()
    {
        var line = SingleAccessLine(new LogOptions(), logger =>
            AccessLog.Exchange(logger, "backend", "GET", "/transactions/authrep.xml?user_key=K3Y", 200, 12.44, 0, 312, "-"));

        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z info: access\[1\] route=backend method=GET "
            + @"path=/transactions/authrep\.xml\?user_key=\*\*\* status=200 duration_ms=12\.4 bytes_in=0 bytes_out=312 error=- client=- proxy=-$", line);
    }

    [Fact]
    public void FailedExchangeLines_NameTheHop_WithTheTargetMasked()
    {
        var line = SingleAccessLine(new LogOptions(), logger =>
            AccessLog.ExchangeFailed(logger, "backend", "GET", "/t?provider_key=P4K", 502, 3.14, 0, 166, "proxy_refused",
                "proxy", "the proxy refused\nthe connection", IPAddress.Parse("::ffff:10.1.2.3")));

        Assert.EndsWith(" warn: access[2] route=backend method=GET path=/t?provider_key=*** status=502 duration_ms=3.1 "
            + "bytes_in=0 bytes_out=166 error=proxy_refused client=10.1.2.3 proxy=- hop=proxy message=the proxy refused the connection", line);
    }

    [Fact]
    public void JsonLines_HaveEcsFieldNames_WrittenThroughTheBatchWriter()
    {
        var line = SingleAccessLine(new LogOptions { Format = LogFormat.Json }, logger =>
            AccessLog.Exchange(logger, "portal", "GET", "/a?b=1&access_token=T0K&c=2", 403, 1.0, 0, 10, "-"));

        using var json = JsonDocument.Parse(line);
        Assert.Equal("access", json.RootElement.GetProperty("log.logger").GetString());
        Assert.Equal("info", json.RootElement.GetProperty("log.level").GetString());
        Assert.Equal("/a", json.RootElement.GetProperty("url.path").GetString());
        Assert.Equal("b=1&access_token=***&c=2", json.RootElement.GetProperty("url.query").GetString());
        Assert.DoesNotContain("T0K", line);
    }

    // The one line that `log` writes to the access logger, as it reaches stdout.
    private static string SingleAccessLine(LogOptions options, Action<ILogger> log)
    {
        var stdout = new MemoryStream();
        using (var output = new LogBatchWriter(stdout, finalWriteTimeout: TimeSpan.FromSeconds(60)))
        using (var services = LoggingServices(options, output))
        {
            log(services.GetRequiredService<ILoggerFactory>().CreateLogger(AccessLog.Category));
        }

        return Assert.Single(Encoding.UTF8.GetString(stdout.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    private static ServiceProvider LoggingServices(LogOptions options, LogBatchWriter output) =>
        new ServiceCollection().AddLogging(logging => SidecarLogging.Configure(logging, options, output)).BuildServiceProvider();
}
