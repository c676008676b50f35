using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text.RegularExpressions;
using ApicastSidecarProxy.Forwarding;
using ApicastSidecarProxy.Observability;
using ApicastSidecarProxy.Observability.Prometheus;

namespace ApicastSidecarProxy.Tests.Observability;

/// <summary>The names /metrics shows: apicast_sidecar_ prefix, OpenTelemetry HTTP label names, standard process metrics.</summary>
public partial class SidecarMetricsTests
{
    [Fact]
    public void Exchanges_UseTheHttpLabelNames_WithErrorTypeOnlyOnFailures()
    {
        using var metrics = new SidecarMetrics();
        using var exporter = new PrometheusExporter(metrics.Meter);
        var failure = new ForwardingFailure("upstream_tls_failed", "tls", System.Net.HttpStatusCode.BadGateway, "untrusted");

        metrics.RecordExchange("backend", "GET", 200, null, 0.004, 0, 312);
        metrics.RecordExchange("portal", "PROPFIND", 502, failure, 0.2, 0, 166);

        var text = exporter.Render();
        Assert.Contains("apicast_sidecar_requests_total{route=\"backend\",http_request_method=\"GET\",http_response_status_code=\"200\"} 1\n", text);
        Assert.Contains("apicast_sidecar_requests_total{route=\"portal\",http_request_method=\"_OTHER\",http_response_status_code=\"502\",error_type=\"upstream_tls_failed\"} 1\n", text);
        Assert.Contains("apicast_sidecar_request_duration_seconds_count{route=\"portal\",http_request_method=\"_OTHER\",http_response_status_code=\"502\",error_type=\"upstream_tls_failed\"} 1\n", text);
        Assert.Contains("apicast_sidecar_upstream_tls_failures_total{route=\"portal\"} 1\n", text);
        Assert.DoesNotContain("error=", text);
    }

    [Fact]
    public void ARoutesFailureCounters_StartAtZero_SoTheFirstFailureIsAnIncrease()
    {
        using var metrics = new SidecarMetrics();
        using var exporter = new PrometheusExporter(metrics.Meter);

        metrics.AddRoute("portal");

        var text = exporter.Render();
        Assert.Contains("apicast_sidecar_proxy_auth_failures_total{route=\"portal\"} 0\n", text);
        Assert.Contains("apicast_sidecar_upstream_tls_failures_total{route=\"portal\"} 0\n", text);
    }

    [Fact]
    public void EveryOwnMetric_IsPrefixed_ExceptTheStandardProcessStartTime()
    {
        using var metrics = new SidecarMetrics();
        using var exporter = new PrometheusExporter(metrics.Meter);
        metrics.ObserveReadiness(() => [new Measurement<int>(1, new KeyValuePair<string, object?>("route", "backend"))]);
        metrics.ObserveDroppedLogLines(() => 0);
        metrics.ObserveCertificateExpiry(() => [new Measurement<double>(1.8e9, new KeyValuePair<string, object?>("route", "backend"))]);
        metrics.RecordExchange("backend", "GET", 200, null, 0.004, 0, 312);
        metrics.ProxyConnectionOpened();

        var names = MetricNames(exporter.Render());

        Assert.Equal(["process_start_time_seconds"], names.Where(name => !name.StartsWith("apicast_sidecar_", StringComparison.Ordinal)));
        Assert.Contains("apicast_sidecar_ready", names);
        Assert.Contains("apicast_sidecar_log_dropped_lines_total", names);
        Assert.Contains("apicast_sidecar_upstream_certificate_expiry_timestamp_seconds", names);
    }

    [Fact]
    public void BuildInfo_CarriesTheVersion_AndTheStartTimeIsThisProcesss()
    {
        using var metrics = new SidecarMetrics("1.2.3");
        using var exporter = new PrometheusExporter(metrics.Meter);

        var text = exporter.Render();

        Assert.Contains("# TYPE apicast_sidecar_build_info gauge\napicast_sidecar_build_info{version=\"1.2.3\"} 1\n", text);
        var started = double.Parse(Regex.Match(text, @"\nprocess_start_time_seconds (\S+)\n").Groups[1].Value, CultureInfo.InvariantCulture);
        var processStart = new DateTimeOffset(System.Diagnostics.Process.GetCurrentProcess().StartTime).ToUnixTimeSeconds();
        Assert.InRange(started, processStart - 1, processStart + 1);
    }

    [Fact]
    public void TheRuntimesInstruments_AreExported_UnderTheirOpenTelemetryNames()
    {
        using var metrics = new SidecarMetrics();
        using var exporter = new PrometheusExporter(metrics.Meter, SidecarMetrics.RuntimeMeterName);
        GC.Collect();

        var text = exporter.Render();

        Assert.Matches(@"\ndotnet_process_memory_working_set_bytes [1-9]\d*\n", text);
        Assert.Contains("dotnet_gc_last_collection_heap_size_bytes{gc_heap_generation=\"gen0\"}", text);
        Assert.Contains("\ndotnet_thread_pool_thread_count", text);
        Assert.Contains("\ndotnet_gc_heap_total_allocated_bytes_total ", text);
    }

    private static List<string> MetricNames(string exposition) =>
        [.. TypeLine().Matches(exposition).Select(match => match.Groups[1].Value)];

    [GeneratedRegex(@"^# TYPE (\S+) ", RegexOptions.Multiline)]
    private static partial Regex TypeLine();
}
