using ApicastSidecarProxy.Configuration;
using ApicastSidecarProxy.Observability;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace ApicastSidecarProxy.Hosting;

/// <summary>Console logging: text or JSON lines on stdout, written in batches, never blocking requests.</summary>
public static class SidecarLogging
{
    public const string HostingDiagnosticsCategory = "Microsoft.AspNetCore.Hosting.Diagnostics";

    public static void Configure(ILoggingBuilder logging, LogOptions options, LogBatchWriter output)
    {
        logging.ClearProviders();
        if (options.Format == LogFormat.Json)
        {
            logging.AddJsonConsole(console =>
            {
                console.UseUtcTimestamp = true;
                console.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
                console.IncludeScopes = false;
            });
        }

        // The console logger's JSON formatter stays (registered above, chosen by name); its queue and writer thread make
        // way. Text lines have a formatter of their own, which writes the access-log line without allocating.
        logging.Services.RemoveAll<ILoggerProvider>();
        logging.Services.AddSingleton<ILoggerProvider>(services => new BatchedConsoleLoggerProvider(
            options.Format == LogFormat.Json
                ? services.GetServices<ConsoleFormatter>().First(f => f.Name == ConsoleFormatterNames.Json)
                : new SingleLineTextFormatter(),
            output));
        logging.SetMinimumLevel(options.Level);
        logging.AddFilter("Microsoft", LogLevel.Warning);
        // While this category is enabled at any level, ASP.NET Core starts an Activity for every request (a tenth of
        // the sidecar's CPU per request, measured). It only logs request start and finish, which the access log covers.
        logging.AddFilter(HostingDiagnosticsCategory, LogLevel.None);
        logging.AddFilter("System.Net.Http", LogLevel.Warning);
        // YARP logs each forwarding failure with its stack trace; the access log already names the hop and reason.
        logging.AddFilter("Yarp", LogLevel.None);
    }
}
