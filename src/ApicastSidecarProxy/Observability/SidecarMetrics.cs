using System.Diagnostics.Metrics;
using ApicastSidecarProxy.Caching;
using ApicastSidecarProxy.Forwarding;

namespace ApicastSidecarProxy.Observability;

/// <summary>
/// The sidecar's instruments (System.Diagnostics.Metrics), exported on /metrics in Prometheus format by
/// <see cref="Prometheus.PrometheusExporter"/>. Tag values are cached strings so recording allocates nothing per request.
/// </summary>
public sealed class SidecarMetrics : IDisposable
{
    public const string MeterName = "ApicastSidecarProxy";

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

    public SidecarMetrics()
    {
        _requests = _meter.CreateCounter<long>("sidecar.requests", description:
            "Exchanges served, by route, method, status and error code (none when forwarded).");
        _duration = _meter.CreateHistogram<double>("sidecar.request.duration", unit: "s",
            description: "Time from the request's arrival to the end of the answer, by route, method and status.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
        _requestBytes = _meter.CreateCounter<long>("sidecar.request.body", unit: "By", description: "Request body bytes forwarded, by route.");
        _responseBytes = _meter.CreateCounter<long>("sidecar.response.body", unit: "By", description: "Response body bytes returned, by route.");
        _proxyAuthFailures = _meter.CreateCounter<long>("sidecar.proxy.auth_failures",
            description: "Tunnel requests the proxy refused for missing or wrong credentials (401/407).");
        _tlsFailures = _meter.CreateCounter<long>("sidecar.upstream.tls_failures",
            description: "TLS handshakes with an upstream that failed (untrusted certificate, name mismatch).");
        _proxyConnectionsOpened = _meter.CreateCounter<long>("sidecar.proxy.connections_opened",
            description: "Connections opened to the forward proxy for a CONNECT tunnel.");
        _proxyConnectionsOpen = _meter.CreateUpDownCounter<long>("sidecar.proxy.connections_open",
            description: "Connections to the forward proxy currently open (each carries one tunnel).");
    }

    /// <summary>The meter every instrument above belongs to (what /metrics exports).</summary>
    public Meter Meter => _meter;

    /// <summary>Observes whether each route is ready, 1 or 0 (readiness probing must be on).</summary>
    public void ObserveReadiness(Func<IEnumerable<Measurement<int>>> observe) =>
        _meter.CreateObservableGauge("sidecar.ready", observe, description: "1 when the route's chain answered its last readiness probe.");

    /// <summary>Observes the log lines dropped because stdout was not read fast enough.</summary>
    public void ObserveDroppedLogLines(Func<long> droppedLines) =>
        _meter.CreateObservableCounter("sidecar.log.dropped_lines", droppedLines,
            description: "Log lines dropped because stdout was not read fast enough (lines are never waited for).");

    /// <summary>Observes the configuration cache of <paramref name="route"/>: stale answers served, what it holds, what it could not read.</summary>
    public void ObserveConfigCache(string route, ConfigurationCache cache)
    {
        var tag = new KeyValuePair<string, object?>("route", route);
        _meter.CreateObservableCounter("sidecar.config_cache.stale_answers", () => new Measurement<long>(cache.StaleAnswersServed, tag),
            description: "Stored configuration answers served, marked stale, because the portal could not be reached.");
        _meter.CreateObservableCounter("sidecar.config_cache.stored_answers", () => new Measurement<long>(cache.AnswersStored, tag),
            description: "New or changed complete 200 answers stored (an unchanged answer only refreshes its time).");
        _meter.CreateObservableCounter("sidecar.config_cache.unreadable_entries", () => new Measurement<long>(cache.UnreadableEntries, tag),
            description: "Entries in CONFIG_CACHE_DIR that could not be read or decrypted (corrupt, truncated, another token): ignored.");
        _meter.CreateObservableGauge("sidecar.config_cache.entries", () => new Measurement<int>(cache.Count, tag),
            description: "Answers held in memory.");
        _meter.CreateObservableGauge("sidecar.config_cache.size", () => new Measurement<long>(cache.Bytes, tag), unit: "By",
            description: "Bytes of the answers held in memory.");
    }

    public void RecordExchange(string route, string method, int status, ForwardingFailure? failure, double seconds,
        long requestBytes, long responseBytes)
    {
        var statusText = (uint)status < StatusTexts.Length ? StatusTexts[status] : "other";
        var methodTag = MethodTag(method);
        _requests.Add(1, new("route", route), new("method", methodTag), new("status", statusText),
            new("error", failure?.Code ?? "none"));
        _duration.Record(seconds, new("route", route), new("method", methodTag), new("status", statusText));
        _requestBytes.Add(requestBytes, new KeyValuePair<string, object?>("route", route));
        _responseBytes.Add(responseBytes, new KeyValuePair<string, object?>("route", route));
        RecordFailureKind(route, failure);
    }

    /// <summary>Counts failures of a kind operators alert on, wherever they were seen (exchange or probe).</summary>
    public void RecordFailureKind(string route, ForwardingFailure? failure)
    {
        switch (failure?.Code)
        {
            case "proxy_auth_failed":
                _proxyAuthFailures.Add(1, new KeyValuePair<string, object?>("route", route));
                break;
            case "upstream_tls_failed":
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

    public void Dispose() => _meter.Dispose();

    // A bounded set of values: an unusual method must not create a new series per spelling.
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
        _ => "other",
    };
}
