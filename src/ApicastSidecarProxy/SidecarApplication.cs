using System.Net;
using ApicastSidecarProxy.Configuration;
using ApicastSidecarProxy.Egress;
using ApicastSidecarProxy.Forwarding;
using ApicastSidecarProxy.Observability;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Yarp.ReverseProxy.Forwarder;

namespace ApicastSidecarProxy;

/// <summary>Composition root: wires configuration, the outbound handler, the listeners and the exchange handler.</summary>
public static class SidecarApplication
{
    private const string RouteItemKey = "apicast-sidecar-proxy.route";

    public static async Task<int> RunAsync(string[] args)
    {
        SidecarOptions options;
        try
        {
            options = SidecarOptionsReader.Read(SettingsSource.FromProcess(args));
        }
        catch (ConfigurationException e)
        {
            await Console.Error.WriteLineAsync($"apicast-sidecar-proxy: configuration error: {e.Message}");
            return 1;
        }

        await using var output = BufferedConsoleOutput.Install();
        var proxySelector = new EnvironmentProxySelector(options.Proxy);
        var routes = options.Routes.Select(r => new SidecarRoute(r, proxySelector.SelectProxy(r.Upstream))).ToList();
        var listeners = new List<(SidecarRoute Route, ListenOptions Listener)>();

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        ConfigureLogging(builder.Logging);
        builder.Services.AddHttpForwarder();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = null; // bodies stream through; a size limit is the upstream's call.
            foreach (var route in routes)
            {
                void Configure(ListenOptions listener)
                {
                    listener.Protocols = HttpProtocols.Http1;
                    listener.Use(next => connection =>
                    {
                        connection.Items[RouteItemKey] = route;
                        return next(connection);
                    });
                    listeners.Add((route, listener));
                }

                if (options.ListenAddress is { } address)
                {
                    kestrel.Listen(address, route.Options.ListenPort, Configure);
                }
                else
                {
                    kestrel.ListenAnyIP(route.Options.ListenPort, Configure); // [::] dual-stack, 0.0.0.0 without IPv6
                }
            }
        });

        await using var app = builder.Build();
        var loggerFactory = app.Services.GetRequiredService<ILoggerFactory>();
        var startupLogger = loggerFactory.CreateLogger(StartupLog.Category);
        var invoker = OutboundHandlerFactory.Create(options, proxySelector);
        var handler = new ExchangeHandler(
            app.Services.GetRequiredService<IHttpForwarder>(),
            invoker,
            new ForwarderRequestConfig
            {
                ActivityTimeout = options.UpstreamTimeout,
                Version = HttpVersion.Version11,
                VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
            },
            SecretScrubber.For(options),
            loggerFactory.CreateLogger(AccessLog.Category));

        app.Run(context => handler.HandleAsync(context, RouteOf(context)));

        StartupLog.Write(startupLogger, options, routes);
        try
        {
            await app.StartAsync();
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException)
        {
            StartupLog.CannotStart(startupLogger, e.Message);
            return 2;
        }

        foreach (var (route, listener) in listeners)
        {
            StartupLog.Listening(startupLogger, route.Name, listener.IPEndPoint!.ToString());
        }

        await app.WaitForShutdownAsync();
        return 0;
    }

    private static SidecarRoute RouteOf(HttpContext context) =>
        (SidecarRoute)context.Features.Get<IConnectionItemsFeature>()!.Items[RouteItemKey]!;

    private static void ConfigureLogging(ILoggingBuilder logging)
    {
        logging.ClearProviders();
        logging.AddSimpleConsole(console =>
        {
            console.SingleLine = true;
            console.UseUtcTimestamp = true;
            console.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
        });
        // When nobody reads stdout fast enough, drop log lines rather than stall requests behind a full queue.
        logging.Services.Configure<ConsoleLoggerOptions>(console =>
        {
            console.QueueFullMode = ConsoleLoggerQueueFullMode.DropWrite;
            console.MaxQueueLength = 10_000;
        });
        logging.SetMinimumLevel(LogLevel.Information);
        logging.AddFilter("Microsoft", LogLevel.Warning);
        // YARP logs each forwarding failure with its stack trace; the access log already names the hop and reason.
        logging.AddFilter("Yarp", LogLevel.None);
    }
}
