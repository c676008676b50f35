using System.Collections.Concurrent;

namespace ApicastSidecarProxy.Management;

/// <summary>
/// The latest probe of every route, and whether a drain has begun. Ready means: not draining, and (when probing is on)
/// every route's last probe succeeded and is recent (a stalled prober must not keep the sidecar ready forever).
/// </summary>
public sealed class ReadinessState(IReadOnlyList<string> routes, bool probing, TimeSpan maxAge, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, RouteHealth> _health = new();
    private readonly ConcurrentDictionary<string, DateTimeOffset> _lastSuccess = new();
    private readonly TaskCompletionSource _allProbed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _draining;

    public bool Draining => _draining;

    public IReadOnlyList<string> Routes => routes;

    public void StartDraining() => _draining = true;

    /// <summary>Completes once every route has been probed at least once (at once when probing is off).</summary>
    public Task AllProbed => probing ? _allProbed.Task : Task.CompletedTask;

    /// <summary>Records a probe; returns the previous result, or null for the first one.</summary>
    public RouteHealth? Report(string route, RouteHealth health)
    {
        RouteHealth? previous = null;
        if (health.Ok)
        {
            _lastSuccess[route] = health.CheckedAt;
        }

        _health.AddOrUpdate(route, health, (_, old) =>
        {
            previous = old;
            return health;
        });
        if (previous is null && _health.Count >= routes.Count)
        {
            _allProbed.TrySetResult();
        }

        return previous;
    }

    public RouteHealth? Health(string route) => _health.GetValueOrDefault(route);

    /// <summary>When the route's chain last answered a probe; null when it never did.</summary>
    public DateTimeOffset? LastSuccess(string route) => _lastSuccess.TryGetValue(route, out var at) ? at : null;

    public bool IsFresh(RouteHealth health) => time.GetUtcNow() - health.CheckedAt <= maxAge;

    public bool Probing => probing;

    /// <summary>For the sidecar.ready gauge: 1 per route whose last probe succeeded recently, else 0.</summary>
    public IEnumerable<System.Diagnostics.Metrics.Measurement<int>> Measure() => routes.Select(route =>
        new System.Diagnostics.Metrics.Measurement<int>(
            !_draining && Health(route) is { Ok: true } health && IsFresh(health) ? 1 : 0,
            new KeyValuePair<string, object?>("route", route)));

    public bool IsReady => !_draining && (!probing || routes.All(route => Health(route) is { Ok: true } health && IsFresh(health)));
}
