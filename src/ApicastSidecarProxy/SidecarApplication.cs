using System.Net;
using ApicastSidecarProxy.Caching;
using ApicastSidecarProxy.Configuration;
using ApicastSidecarProxy.Egress;
using ApicastSidecarProxy.ForwardProxy;
using ApicastSidecarProxy.Forwarding;
using ApicastSidecarProxy.Hosting;
using ApicastSidecarProxy.Logging;
using ApicastSidecarProxy.Management;
using ApicastSidecarProxy.Metrics;
using ApicastSidecarProxy.Metrics.Prometheus;
using ApicastSidecarProxy.Redaction;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Forwarder;

namespace ApicastSidecarProxy;

/// <summary>Composition root: wires configuration, the outbound handler, the listeners and what serves them.</summary>
public static class SidecarApplication
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (await SidecarOptionsReader.ReadFromProcessAsync(args) is not { } options)
        {
            return ExitCodes.ConfigurationError;
        }

        using var metrics = new SidecarMetrics(CommandLineInfo.Version);
        await using var proxySelection = await ProxySelection.TryCreateAsync(options, metrics);
        if (proxySelection is null)
        {
            return ExitCodes.ConfigurationError;
        }

        using var logOutput = new LogBatchWriter(FileDescriptorOutputStream.StandardOutput());
        var proxySelector = proxySelection.Selector;
        var proxyCredentials = new ProxyCredentialLookup(options.Proxy);
        var failedProxies = new FailedProxies(options.Proxy.RetryAfter, TimeProvider.System);
        var routes = options.Routes.Select(r => new SidecarRoute(r,
            r.ServesConfiguration && options.ConfigCache.Enabled ? new ConfigurationCache(options.ConfigCache, TimeProvider.System) : null,
            new AdaptiveConcurrencyLimit(options.UpstreamMaxConnections, options.UpstreamConcurrencyFloor))).ToList();
        var listeners = new SidecarListeners(options, routes);
        using var metricsExporter = new PrometheusExporter(metrics.Meter, SidecarMetrics.RuntimeMeterName);
        metrics.ObserveDroppedLogLines(() => logOutput.DroppedLines);
        routes.ForEach(route => metrics.AddRoute(route.Name));
        foreach (var proxy in options.Proxy.Endpoints)
        {
            metrics.AddProxy(new ProxyChoice(proxy.Uri).Label);
        }

        if (options.Proxy.Pac is not null)
        {
            metrics.AddPac();
        }

        var certificateExpiry = new UpstreamCertificateExpiry();
        var routeHosts = routes.Select(r => (r.Name, r.Options.Upstream.IdnHost)).ToList();
        metrics.ObserveCertificateExpiry(() => certificateExpiry.Measure(routeHosts));
        metrics.ObserveConcurrencyLimits(routes.Where(r => r.ConcurrencyLimit is not null).Select(r => (r.Name, (IConcurrencyReadings)r.ConcurrencyLimit!)).ToList());
        foreach (var route in routes.Where(r => r.ConfigCache is not null))
        {
            metrics.ObserveConfigCache(route.Name, route.ConfigCache!);
        }

        // Assigned once the host is built (the failover logs through it); the readiness prober starts after that.
        HttpMessageInvoker? invoker = null;
        using var tunnelInvoker = options.ForwardProxy is null
            ? null
            : OutboundHandlerFactory.CreateTunnelInvoker(options, proxyCredentials, metrics);
        var scrubber = SecretScrubber.For(options);
        var readiness = new ReadinessState(routes.Select(r => r.Name).ToList(), options.Management.ReadinessProbing,
            maxAge: options.Management.ReadinessInterval * 3 + options.ConnectTimeout + options.UpstreamTimeout, TimeProvider.System);

        // Our settings are read above; the host's own appsettings.json reload would only watch the working directory
        // (a recursive file watch that costs start-up time in a large directory).
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = ["--hostBuilder:reloadConfigOnChange=false"] });
        SidecarLogging.Configure(builder.Logging, options.Log, logOutput);
        builder.WebHost.ConfigureKestrel(listeners.Configure);
        builder.Services.AddHttpForwarder();
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = options.Management.ShutdownTimeout);
        builder.Services.AddHostedService<SystemdNotification>();
        builder.Services.AddSingleton<IHostLifetime>(services => new DrainingHostLifetime(
            services.GetRequiredService<IHostApplicationLifetime>(), readiness, options.Management.DrainDelay,
            TimeProvider.System, services.GetRequiredService<ILoggerFactory>().CreateLogger(LogCategories.Lifetime)));
        if (options.Management.ReadinessProbing)
        {
            builder.Services.AddHostedService(services => new ReadinessProber(routes, proxySelector, invoker!, readiness,
                options.Management.ReadinessInterval, options.ConnectTimeout + options.UpstreamTimeout, TimeProvider.System,
                metrics, services.GetRequiredService<ILoggerFactory>().CreateLogger(LogCategories.Readiness)));
            metrics.ObserveReadiness(readiness.Measure);
        }

        builder.Services.AddHostedService(_ => new IdleMemoryTrimmer(readiness.AllProbed));

        await using var app = builder.Build();
        var loggerFactory = app.Services.GetRequiredService<ILoggerFactory>();
        var startupLogger = loggerFactory.CreateLogger(StartupLog.Category);
        var egressLogger = loggerFactory.CreateLogger(EgressLog.Category);
        proxySelection.Logger = egressLogger;
        var failover = new ProxyFailover(proxySelector, failedProxies, metrics, egressLogger);
        invoker = OutboundHandlerFactory.Create(options, failover, proxyCredentials, metrics, certificateExpiry.Record);
        var exchanges = new ExchangeHandler(
            app.Services.GetRequiredService<IHttpForwarder>(),
            invoker,
            new ForwarderRequestConfig
            {
                ActivityTimeout = options.UpstreamTimeout,
                Version = HttpVersion.Version11,
                VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
            },
            scrubber,
            metrics,
            loggerFactory.CreateLogger(AccessLog.Category));
        var management = new ManagementEndpoints(readiness, scrubber, metricsExporter,
            routes.Where(r => r.ConfigCache is not null).ToDictionary(r => r.Name, r => r.ConfigCache!));
        app.Lifetime.ApplicationStopping.Register(readiness.StartDraining);

        ForwardRequests? forwardRequests = null;
        if (options.ForwardProxy is { } forward)
        {
            forwardRequests = new ForwardRequests(forward, exchanges);
            listeners.ForwardTunnels = new ForwardTunnelHandler(forward,
                new TunnelOpener(failover, tunnelInvoker!, options.ConnectTimeout),
                options.Client.HeaderTimeout, options.UpstreamTimeout, scrubber, metrics, loggerFactory.CreateLogger(AccessLog.Category));
        }

        app.Run(context => SidecarListeners.KindOf(context) switch
        {
            RouteListener listener => exchanges.HandleAsync(context, listener.Route),
            ForwardListener => forwardRequests!.HandleAsync(context),
            _ => management.HandleAsync(context),
        });

        StartupLog.Write(startupLogger, options, upstream => ProxyChoice.Describe(proxySelector.Select(upstream), "direct"));
        try
        {
            if (!await StartUnlessStoppedAsync(() => app.StartAsync(), app.Lifetime.ApplicationStopping))
            {
                return ExitCodes.Success;
            }
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException)
        {
            StartupLog.CannotStart(startupLogger, e.Message);
            return ExitCodes.CannotStart;
        }

        foreach (var (name, address) in listeners.BoundAddresses)
        {
            StartupLog.Listening(startupLogger, name, address);
        }

        await app.WaitForShutdownAsync();
        return ExitCodes.Success;
    }

    /// <summary>
    /// Starts the host; false when SIGTERM/SIGINT stopped it during start-up, which cancels the start (nothing was
    /// serving yet, so that is a clean exit, not a crash).
    /// </summary>
    internal static async Task<bool> StartUnlessStoppedAsync(Func<Task> start, CancellationToken stopping)
    {
        try
        {
            await start();
            return true;
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            return false;
        }
    }
}
