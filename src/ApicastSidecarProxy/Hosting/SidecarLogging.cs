using ApicastSidecarProxy.Configuration;
using ApicastSidecarProxy.Observability;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace ApicastSidecarProxy.Hosting;

/// <summary>Console logging: text or JSON lines on stdout, written in batches, never blocking requests.</summary>
public static class SidecarLogging
{
    public const string HostingDiagnosticsCategory = "Microsoft.AspNetCore.Hosting.Diagnostics";
    public const string HostCategory = "Microsoft.Extensions.Hosting.Internal.Host";

    public static void Configure(ILoggingBuilder logging, LogOptions options, LogBatchWriter output)
    {
        logging.ClearProviders();
        // The console logger's queue and writer thread make way for the batch writer. Text lines have a formatter of
        // our own, which writes the access-log line without allocating; JSON lines one that writes ECS field names.
        logging.Services.RemoveAll<ILoggerProvider>();
        logging.Services.AddSingleton<ILoggerProvider>(new BatchedConsoleLoggerProvider(
            options.Format == LogFormat.Json ? new EcsJsonFormatter() : new SingleLineTextFormatter(), output));
        logging.SetMinimumLevel(options.Level);
        logging.AddFilter("Microsoft", LogLevel.Warning);
        // While this category is enabled at any level, ASP.NET Core starts an Activity for every request (a tenth of
        // the sidecar's CPU per request, measured). It only logs request start and finish, which the access log covers.
        logging.AddFilter(HostingDiagnosticsCategory, LogLevel.None);
        // A listener that cannot bind is the one line "cannot start: ..." (StartupLog); the host would first log the same
        // failure with its stack trace. Its Critical lines (a background service stopping the host) still show.
        logging.AddFilter(HostCategory, LogLevel.Critical);
        logging.AddFilter("System.Net.Http", LogLevel.Warning);
        // YARP logs each forwarding failure with its stack trace; the access log already names the hop and reason.
        logging.AddFilter("Yarp", LogLevel.None);
    }
}
