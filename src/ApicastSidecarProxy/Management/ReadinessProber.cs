using ApicastSidecarProxy.Egress;
using ApicastSidecarProxy.Failures;
using ApicastSidecarProxy.Forwarding;
using ApicastSidecarProxy.Logging;
using ApicastSidecarProxy.Metrics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ApicastSidecarProxy.Management;

/// <summary>
/// Probes each route's whole chain (proxy, tunnel, TLS, upstream) in the background, through the same outbound handler
/// as real traffic, every READINESS_INTERVAL: a HEAD of the upstream's base path, where any HTTP answer means the chain
/// works. Never per request, so /readyz costs nothing and the SaaS sees one small request per interval and route
/// (and per proxy, when the route's proxy list has several: each is probed on its own, and the route is ready when one
/// of them works, as traffic would fail over to it).
/// </summary>
public sealed partial class ReadinessProber(
    IReadOnlyList<SidecarRoute> routes,
    IProxySelector selector,
    HttpMessageInvoker invoker,
    ReadinessState state,
    TimeSpan interval,
    TimeSpan probeTimeout,
    TimeProvider time,
    SidecarMetrics metrics,
    ILogger logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(interval, time);
        try
        {
            do
            {
                await Task.WhenAll(routes.Select(route => ProbeAsync(route, stoppingToken)));
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Probes one route now and records the result.</summary>
    public async Task<RouteHealth> ProbeAsync(SidecarRoute route, CancellationToken cancellationToken)
    {
        var health = await CheckAsync(route, cancellationToken);
        var previous = state.Report(route.Name, health);
        metrics.RecordFailureKind(route.Name, health.Failure);
        if (previous?.Ok != health.Ok)
        {
            if (health.Failure is { } failure)
            {
                RouteNotReady(logger, route.Name, failure.CodeText, failure.Hop, failure.Message);
            }
            else
            {
                RouteReady(logger, route.Name, health.UpstreamStatus ?? 0);
            }
        }

        return health;
    }

    private async Task<RouteHealth> CheckAsync(SidecarRoute route, CancellationToken cancellationToken)
    {
        IReadOnlyList<ProxyChoice> choices;
        try
        {
            choices = selector.Select(route.Options.Upstream);
        }
        catch (ProxySelectionException e)
        {
            return new RouteHealth(time.GetUtcNow(), null, ForwardingFailureClassifier.SelectionFailed(e));
        }

        var probes = await Task.WhenAll(choices.Select(choice => ProbeThroughAsync(route, choice, cancellationToken)));
        var proxies = choices.Zip(probes).Where(pair => !pair.First.IsDirect)
            .Select(pair => new ProxyHealth(pair.First.Label, pair.Second.Status, pair.Second.Failure)).ToArray();
        var working = probes.FirstOrDefault(probe => probe.Failure is null);
        return new RouteHealth(time.GetUtcNow(), working.Status, working.Status is null ? probes[0].Failure : null, proxies);
    }

    private async Task<(int? Status, ForwardingFailure? Failure)> ProbeThroughAsync(SidecarRoute route, ProxyChoice choice,
        CancellationToken cancellationToken)
    {
        var path = OutboundPath.Pin(choice);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(probeTimeout);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Head, route.DestinationPrefix + "/");
            using var response = await invoker.SendAsync(request, timeout.Token);
            return ((int)response.StatusCode, null);
        }
        catch (Exception e) when (e is HttpRequestException or IOException
            || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return (null, ForwardingFailureClassifier.ClassifyOwnRequest(e, path, timeout.Token, $"{probeTimeout.TotalSeconds}s"));
        }
    }

    [LoggerMessage(EventId = LogEvents.RouteReady, Level = LogLevel.Information, Message = "route={Route} ready: the upstream answered the probe with {Status}")]
    private static partial void RouteReady(ILogger logger, string route, int status);

    [LoggerMessage(EventId = LogEvents.RouteNotReady, Level = LogLevel.Warning, Message = "route={Route} not ready: error={Error} hop={Hop} message={FailureMessage}")]
    private static partial void RouteNotReady(ILogger logger, string route, string error, string hop, string failureMessage);
}
