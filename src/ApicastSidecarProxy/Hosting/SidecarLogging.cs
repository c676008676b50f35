using ApicastSidecarProxy.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace ApicastSidecarProxy.Hosting;

/// <summary>Console logging: text or JSON lines on stdout, never blocking requests.</summary>
public static class SidecarLogging
{
    public const string HostingDiagnosticsCategory = "Microsoft.AspNetCore.Hosting.Diagnostics";

    public static void Configure(ILoggingBuilder logging, LogOptions options)
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
        else
        {
            logging.AddSimpleConsole(console =>
            {
                console.SingleLine = true;
                console.UseUtcTimestamp = true;
                console.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
            });
        }

        // When nobody reads stdout fast enough, drop log lines rather than stall requests behind a full queue.
        logging.Services.Configure<ConsoleLoggerOptions>(console =>
        {
            console.QueueFullMode = ConsoleLoggerQueueFullMode.DropWrite;
            console.MaxQueueLength = 10_000;
        });
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
