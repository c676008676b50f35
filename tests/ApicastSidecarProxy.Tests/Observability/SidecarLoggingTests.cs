using ApicastSidecarProxy.Configuration;
using ApicastSidecarProxy.Hosting;
using ApicastSidecarProxy.Observability;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ApicastSidecarProxy.Tests.Observability;

public class SidecarLoggingTests
{
    [Theory]
    [InlineData(LogFormat.Text)]
    [InlineData(LogFormat.Json)]
    public void HostingDiagnostics_IsOff_SoNoActivityIsStartedPerRequest(LogFormat format)
    {
        using var services = LoggingServices(new LogOptions { Format = format, Level = LogLevel.Trace });
        var factory = services.GetRequiredService<ILoggerFactory>();

        Assert.False(factory.CreateLogger(SidecarLogging.HostingDiagnosticsCategory).IsEnabled(LogLevel.Critical));
        Assert.True(factory.CreateLogger(AccessLog.Category).IsEnabled(LogLevel.Debug));
        Assert.True(factory.CreateLogger("Microsoft.AspNetCore.Server.Kestrel").IsEnabled(LogLevel.Warning));
    }

    private static ServiceProvider LoggingServices(LogOptions options) =>
        new ServiceCollection().AddLogging(logging => SidecarLogging.Configure(logging, options)).BuildServiceProvider();
}
