using System.Diagnostics;
using System.Diagnostics.Metrics;
using ApicastSidecarProxy.Caching;
using ApicastSidecarProxy.Failures;
using ApicastSidecarProxy.Metrics.Prometheus;

namespace ApicastSidecarProxy.Metrics;

/// <summary>
/// The sidecar's instruments (System.Diagnostics.Metrics), exported on /metrics in Prometheus format by
/// <see cref="Prometheus.PrometheusExporter"/>. Names carry the apicast_sidecar prefix; tags use OpenTelemetry's HTTP
/// attribute names (http.request.method, http.response.status_code, error.type), which Prometheus sees with underscores.
/// Tag values are cached strings so recording allocates nothing per request.
/// </summary>
public sealed class SidecarMetrics : IDisposable
{
    public const string MeterName = "ApicastSidecarProxy";

    /// <summary>The runtime's own meter (GC, thread pool, working set): observable only, so free per request.</summary>
    public const string RuntimeMeterName = "System.Runtime";

    private const string Prefix = "apicast_sidecar.";

    private static readonly double[] DurationBuckets =
        [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

    private static readonly string[] StatusTexts = Enumerable.Range(0, 600).Select(code => code.ToString()).ToArray();

    private readonly Meter _meter = new(MeterName);
    private readonly Counter<long> _requests;
    private readonly Histogram<double> _duration;
    private readonly Counter<long> _requestBytes;
    private readonly Counter<long> _responseBytes;
    private readonly Counter<long> _proxyAuthFailures;
    private readonly Counter<long> _tlsFailures;
    private readonly Counter<long> _proxyConnectionsOpened;
    private readonly UpDownCounter<long> _proxyConnectionsOpen;
    private readonly Counter<long> _proxyAttempts;
    private readonly Counter<long> _proxyFailures;
    private readonly Counter<long> _pacRefreshFailures;

    public SidecarMetrics(string version = "unknown")
    {
        _requests = _meter.CreateCounter<long>(Prefix + "requests", description:
            "Exchanges served, by route, method, status and error type (absent when forwarded).");
        _duration = _meter.CreateHistogram<double>(Prefix + "request.duration", unit: "s",
            description: "Time from the request's arrival to the end of the answer, by route, method, status and error type.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
        _requestBytes = _meter.CreateCounter<long>(Prefix + "request.body", unit: "By", description: "Request body bytes forwarded, by route.");
        _responseBytes = _meter.CreateCounter<long>(Prefix + "response.body", unit: "By", description: "Response body bytes returned, by route.");
        _proxyAuthFailures = _meter.CreateCounter<long>(Prefix + "proxy.auth_failures",
            description: "Tunnel requests the proxy refused for missing or wrong credentials (401/407).");
        _tlsFailures = _meter.CreateCounter<long>(Prefix + "upstream.tls_failures",
            description: "TLS handshakes with an upstream that failed (untrusted certificate, name mismatch).");
        _proxyConnectionsOpened = _meter.CreateCounter<long>(Prefix + "proxy.connections_opened",
            description: "Connections opened to the forward proxy for a CONNECT tunnel.");
        _proxyConnectionsOpen = _meter.CreateUpDownCounter<long>(Prefix + "proxy.connections_open",
            description: "Connections to the forward proxy currently open (each carries one tunnel).");
        _proxyAttempts = _meter.CreateCounter<long>(Prefix + "proxy.connection_attempts", description:
            "Requests and tunnels sent through each entry of the proxy list (a proxy, or DIRECT), on a pooled or a new connection.");
        _proxyFailures = _meter.CreateCounter<long>(Prefix + "proxy.connection_failures", description:
            "Entries of the proxy list that could not be connected to, or timed out before the tunnel was open: each is "
            + "skipped for PROXY_RETRY_AFTER.");
        _pacRefreshFailures = _meter.CreateCounter<long>(Prefix + "proxy.pac_refresh_failures", description:
            "Re-fetches of the PAC script (PROXY_PAC) that failed or gave a broken script: the last good script stays in use.");
        var versionTag = new KeyValuePair<string, object?>("version", version);
        _meter.CreateObservableGauge(Prefix + "build_info", () => new Measurement<int>(1, versionTag),
            description: "Always 1; the version label says which build runs.");
        using var process = Process.GetCurrentProcess();
        var started = new DateTimeOffset(process.StartTime).ToUnixTimeMilliseconds() / 1000.0;
        _meter.CreateObservableGauge("process.start_time", () => started, unit: "s",
            description: "Start time of the process since unix epoch in seconds.");
    }

    /// <summary>The meter every instrument above belongs to (what /metrics exports).</summary>
    public Meter Meter => _meter;

    /// <summary>Observes whether each route is ready, 1 or 0 (readiness probing must be on).</summary>
    public void ObserveReadiness(Func<IEnumerable<Measurement<int>>> observe) =>
        _meter.CreateObservableGauge(Prefix + "ready", observe, description: "1 when the route's chain answered its last readiness probe.");

    /// <summary>Observes the log lines dropped because stdout was not read fast enough.</summary>
    public void ObserveDroppedLogLines(Func<long> droppedLines) =>
        _meter.CreateObservableCounter(Prefix + "log.dropped_lines", droppedLines,
            description: "Log lines dropped because stdout was not read fast enough (lines are never waited for).");

    /// <summary>Observes when each upstream's certificate, as last presented, expires (unix seconds, by route).</summary>
    public void ObserveCertificateExpiry(Func<IEnumerable<Measurement<double>>> observe) =>
        _meter.CreateObservableGauge(Prefix + "upstream.certificate.expiry_timestamp", observe, unit: "s",
            description: "Expiry (notAfter, unix seconds) of the certificate the route's upstream presented in its last TLS handshake.");

    /// <summary>Observes the configuration cache of <paramref name="route"/>: stale answers served, what it holds, what it could not read.</summary>
    public void ObserveConfigCache(string route, ConfigurationCache cache)
    {
        var tag = new KeyValuePair<string, object?>("route", route);
        _meter.CreateObservableCounter(Prefix + "config_cache.stale_answers", () => new Measurement<long>(cache.StaleAnswersServed, tag),
            description: "Stored configuration answers served, marked stale, because the portal could not be reached.");
        _meter.CreateObservableCounter(Prefix + "config_cache.stored_answers", () => new Measurement<long>(cache.AnswersStored, tag),
            description: "New or changed complete 200 answers stored (an unchanged answer only refreshes its time).");
        _meter.CreateObservableCounter(Prefix + "config_cache.unreadable_entries", () => new Measurement<long>(cache.UnreadableEntries, tag),
            description: "Entries in CONFIG_CACHE_DIR that could not be read or decrypted (corrupt, truncated, another token): ignored.");
        _meter.CreateObservableGauge(Prefix + "config_cache.entries", () => new Measurement<int>(cache.Count, tag),
            description: "Answers held in memory.");
        _meter.CreateObservableGauge(Prefix + "config_cache.size", () => new Measurement<long>(cache.Bytes, tag), unit: "By",
            description: "Bytes of the answers held in memory.");
    }

    /// <summary>Observes each route's limit of exchanges in flight, and its exchanges in flight and waiting for a turn.</summary>
    public void ObserveConcurrencyLimits(IReadOnlyList<(string Route, IConcurrencyReadings Limit)> limits)
    {
        IEnumerable<Measurement<int>> Each(Func<IConcurrencyReadings, int> read) =>
            limits.Select(l => new Measurement<int>(read(l.Limit), new KeyValuePair<string, object?>("route", l.Route)));
        _meter.CreateObservableGauge(Prefix + "upstream.concurrency_limit", () => Each(l => l.Limit),
            description: "How many of the route's exchanges may be in flight at once: adaptive, from UPSTREAM_CONCURRENCY_FLOOR up to UPSTREAM_MAX_CONNECTIONS.");
        _meter.CreateObservableGauge(Prefix + "upstream.in_flight", () => Each(l => l.InFlight),
            description: "The route's exchanges in flight to its upstream.");
        _meter.CreateObservableGauge(Prefix + "upstream.waiting", () => Each(l => l.Waiting),
            description: "The route's exchanges waiting for a turn under its concurrency limit.");
    }

    public void RecordExchange(string route, string method, int status, ForwardingFailure? failure, double seconds,
        long requestBytes, long responseBytes)
    {
        var routeTag = new KeyValuePair<string, object?>("route", route);
        var methodTag = new KeyValuePair<string, object?>("http.request.method", MethodTag(method));
        var statusTag = new KeyValuePair<string, object?>("http.response.status_code",
            (uint)status < StatusTexts.Length ? StatusTexts[status] : "other");
        if (failure is null)
        {
            _requests.Add(1, routeTag, methodTag, statusTag);
            _duration.Record(seconds, routeTag, methodTag, statusTag);
        }
        else
        {
            var errorTag = new KeyValuePair<string, object?>("error.type", failure.CodeText);
            _requests.Add(1, routeTag, methodTag, statusTag, errorTag);
            _duration.Record(seconds, routeTag, methodTag, statusTag, errorTag);
        }

        _requestBytes.Add(requestBytes, routeTag);
        _responseBytes.Add(responseBytes, routeTag);
        RecordFailureKind(route, failure);
    }

    /// <summary>
    /// Shows the route's failure counters at 0 from the start: Prometheus's increase() needs a sample before the first
    /// failure, or the alert on that failure (a proxy credential rejection: lockout risk) would never fire.
    /// </summary>
    public void AddRoute(string route)
    {
        _proxyAuthFailures.Add(0, new KeyValuePair<string, object?>("route", route));
        _tlsFailures.Add(0, new KeyValuePair<string, object?>("route", route));
    }

    /// <summary>Counts failures of a kind operators alert on, wherever they were seen (exchange or probe).</summary>
    public void RecordFailureKind(string route, ForwardingFailure? failure)
    {
        switch (failure?.Code)
        {
            case FailureCode.ProxyAuthFailed:
                _proxyAuthFailures.Add(1, new KeyValuePair<string, object?>("route", route));
                break;
            case FailureCode.UpstreamTlsFailed:
                _tlsFailures.Add(1, new KeyValuePair<string, object?>("route", route));
                break;
        }
    }

    public void ProxyConnectionOpened()
    {
        _proxyConnectionsOpened.Add(1);
        _proxyConnectionsOpen.Add(1);
    }

    public void ProxyConnectionClosed() => _proxyConnectionsOpen.Add(-1);

    /// <param name="proxy">The proxy-list entry: scheme://host:port, or DIRECT.</param>
    public void ProxyAttempted(string proxy) => _proxyAttempts.Add(1, new KeyValuePair<string, object?>("proxy", proxy));

    public void ProxyFailed(string proxy) => _proxyFailures.Add(1, new KeyValuePair<string, object?>("proxy", proxy));

    /// <summary>Shows a proxy's counters at 0 from the start, so rate() and increase() see its first failure.</summary>
    public void AddProxy(string proxy)
    {
        var tag = new KeyValuePair<string, object?>("proxy", proxy);
        _proxyAttempts.Add(0, tag);
        _proxyFailures.Add(0, tag);
    }

    public void PacRefreshFailed() => _pacRefreshFailures.Add(1);

    /// <summary>Shows the PAC refresh failures at 0 from the start when a PAC script is in use.</summary>
    public void AddPac() => _pacRefreshFailures.Add(0);

    public void Dispose() => _meter.Dispose();

    // A bounded set of values, as OpenTelemetry's http.request.method: an unusual method must not create a new series
    // per spelling.
    private static string MethodTag(string method) => method switch
    {
        "GET" => "GET",
        "POST" => "POST",
        "PUT" => "PUT",
        "DELETE" => "DELETE",
        "HEAD" => "HEAD",
        "PATCH" => "PATCH",
        "OPTIONS" => "OPTIONS",
        "CONNECT" => "CONNECT",
        _ => "_OTHER",
    };
}
