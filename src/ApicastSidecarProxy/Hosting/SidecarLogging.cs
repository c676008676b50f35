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
        else
        {
            logging.AddSimpleConsole(console =>
            {
                console.SingleLine = true;
                console.ColorBehavior = LoggerColorBehavior.Disabled; // plain lines for log collectors, even on a terminal
                console.UseUtcTimestamp = true;
                console.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
            });
        }

        // The console logger's formatters stay (registered above, chosen by name); its queue and writer thread make way.
        var formatterName = options.Format == LogFormat.Json ? ConsoleFormatterNames.Json : ConsoleFormatterNames.Simple;
        logging.Services.RemoveAll<ILoggerProvider>();
        logging.Services.AddSingleton<ILoggerProvider>(services => new BatchedConsoleLoggerProvider(
            services.GetServices<ConsoleFormatter>().First(f => f.Name == formatterName), output));
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
