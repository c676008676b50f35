using System.Diagnostics.Metrics;
using ApicastSidecarProxy.Failures;
using ApicastSidecarProxy.Forwarding;
using ApicastSidecarProxy.Metrics;
using ApicastSidecarProxy.Metrics.Prometheus;

namespace ApicastSidecarProxy.Tests.Metrics.Prometheus;

public class PrometheusExporterTests
{
    [Fact]
    public void Counter_IsASumPerLabelSet_WithHelpAndType()
    {
        using var meter = new Meter("test");
        using var exporter = new PrometheusExporter(meter);
        var counter = meter.CreateCounter<long>("sidecar.requests", description: "Exchanges served.");

        counter.Add(1, new("route", "backend"), new("status", "200"));
        counter.Add(2, new("route", "backend"), new("status", "200"));
        counter.Add(1, new("route", "portal"), new("status", "502"));

        Assert.Equal("""
            # HELP sidecar_requests_total Exchanges served.
            # TYPE sidecar_requests_total counter
            sidecar_requests_total{route="backend",status="200"} 3
            sidecar_requests_total{route="portal",status="502"} 1

            """.ReplaceLineEndings("\n"), exporter.Render());
    }

    [Fact]
    public void Histogram_HasCumulativeBuckets_InclusiveBounds_SumAndCount()
    {
        using var meter = new Meter("test");
        using var exporter = new PrometheusExporter(meter);
        var histogram = meter.CreateHistogram<double>("sidecar.request.duration", unit: "s",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.1, 1] });

        histogram.Record(0.05, new KeyValuePair<string, object?>("route", "backend"));
        histogram.Record(0.1, new KeyValuePair<string, object?>("route", "backend")); // on the bound: le="0.1"
        histogram.Record(0.5, new KeyValuePair<string, object?>("route", "backend"));
        histogram.Record(7, new KeyValuePair<string, object?>("route", "backend"));

        Assert.Equal("""
            # TYPE sidecar_request_duration_seconds histogram
            sidecar_request_duration_seconds_bucket{route="backend",le="0.1"} 2
            sidecar_request_duration_seconds_bucket{route="backend",le="1"} 3
            sidecar_request_duration_seconds_bucket{route="backend",le="+Inf"} 4
            sidecar_request_duration_seconds_sum{route="backend"} 7.65
            sidecar_request_duration_seconds_count{route="backend"} 4

            """.ReplaceLineEndings("\n"), exporter.Render());
    }

    [Fact]
    public void UpDownCounter_IsAGauge_AndUnitsBecomeSuffixes()
    {
        using var meter = new Meter("test");
        using var exporter = new PrometheusExporter(meter);
        var open = meter.CreateUpDownCounter<long>("sidecar.proxy.connections_open");
        var bytes = meter.CreateCounter<long>("sidecar.response.body", unit: "By");

        open.Add(1);
        open.Add(1);
        open.Add(-1);
        bytes.Add(512, new KeyValuePair<string, object?>("route", "portal"));

        var text = exporter.Render();

        Assert.Contains("# TYPE sidecar_proxy_connections_open gauge\nsidecar_proxy_connections_open 1\n", text);
        Assert.Contains("# TYPE sidecar_response_body_bytes_total counter\nsidecar_response_body_bytes_total{route=\"portal\"} 512\n", text);
    }

    [Fact]
    public void ObservableInstruments_AreObservedAtEachRender()
    {
        using var meter = new Meter("test");
        using var exporter = new PrometheusExporter(meter);
        long dropped = 0;
        var ready = 1;
        meter.CreateObservableCounter("sidecar.log.dropped_lines", () => dropped);
        meter.CreateObservableGauge("sidecar.ready", () => new Measurement<int>(ready, new KeyValuePair<string, object?>("route", "backend")));

        var first = exporter.Render();
        dropped = 7;
        ready = 0;
        var second = exporter.Render();

        Assert.Contains("sidecar_log_dropped_lines_total 0\n", first);
        Assert.Contains("sidecar_ready{route=\"backend\"} 1\n", first);
        Assert.Contains("sidecar_log_dropped_lines_total 7\n", second);
        Assert.Contains("sidecar_ready{route=\"backend\"} 0\n", second);
    }

    [Fact]
    public void OtherInstrumentKinds_KeepTheirMeaning()
    {
        using var meter = new Meter("test");
        using var exporter = new PrometheusExporter(meter);
        var gauge = meter.CreateGauge<int>("queue.depth");
        var sizes = meter.CreateHistogram<long>("sizes", advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = [10] });
        var ratios = meter.CreateCounter<float>("ratio_total");
        var seconds = meter.CreateHistogram<double>("wait", unit: "s",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [1, double.PositiveInfinity] });

        gauge.Record(5);
        gauge.Record(7); // a gauge's value is its last, not a sum
        sizes.Record(3);
        sizes.Record(30);
        ratios.Add(0.5f);
        ratios.Add(0.25f);
        seconds.Record(double.NaN); // belongs in no bucket
        seconds.Record(2);

        var text = exporter.Render();

        Assert.Contains("# TYPE queue_depth gauge\nqueue_depth 7\n", text);
        Assert.Contains("# TYPE sizes histogram\nsizes_bucket{le=\"10\"} 1\nsizes_bucket{le=\"+Inf\"} 2\nsizes_sum 33\nsizes_count 2\n", text);
        Assert.Contains("# TYPE ratio_total counter\nratio_total 0.75\n", text);
        Assert.Contains("wait_seconds_bucket{le=\"1\"} 0\nwait_seconds_bucket{le=\"+Inf\"} 1\nwait_seconds_sum 2\nwait_seconds_count 1\n", text);
    }

    [Fact]
    public void LabelValues_AreEscaped_AndLongLabelSetsWork()
    {
        using var meter = new Meter("test");
        using var exporter = new PrometheusExporter(meter);
        var counter = meter.CreateCounter<long>("odd");
        var longValue = new string('x', 1000);

        counter.Add(1, new KeyValuePair<string, object?>("value", "a\"b\\c\nd"));
        counter.Add(1, new KeyValuePair<string, object?>("value", longValue));
        counter.Add(1, new KeyValuePair<string, object?>("value", longValue));

        var text = exporter.Render();

        Assert.Contains("odd_total{value=\"a\\\"b\\\\c\\nd\"} 1\n", text);
        Assert.Contains($"odd_total{{value=\"{longValue}\"}} 2\n", text);
    }

    [Fact]
    public void OnlyTheGivenMeter_IsExported()
    {
        using var meter = new Meter("same-name");
        using var other = new Meter("same-name");
        using var exporter = new PrometheusExporter(meter);
        meter.CreateCounter<long>("mine").Add(1);
        other.CreateCounter<long>("theirs").Add(1);

        var text = exporter.Render();

        Assert.Contains("mine_total 1", text);
        Assert.DoesNotContain("theirs", text);
    }

    [Fact]
    public void AttributeNames_BecomeLabelNames_AndNamesHoldOnlyLegalCharacters()
    {
        using var meter = new Meter("test");
        using var exporter = new PrometheusExporter(meter);
        var counter = meter.CreateCounter<long>("my-lib.requests");

        counter.Add(1, new KeyValuePair<string, object?>("http.request.method", "GET"), new KeyValuePair<string, object?>("9:x", "y"));

        Assert.Contains("my_lib_requests_total{http_request_method=\"GET\",__x=\"y\"} 1\n", exporter.Render());
    }

    [Fact]
    public void OtherMeters_AreExported_WhenNamed_OnlyTheirObservableInstruments()
    {
        using var meter = new Meter("mine");
        using var runtime = new Meter("their.runtime");
        using var unnamed = new Meter("not.asked.for");
        using var exporter = new PrometheusExporter(meter, "their.runtime");
        runtime.CreateObservableGauge("their.threads", () => 4);
        runtime.CreateCounter<long>("their.exceptions").Add(1); // recorded on their hot path: left alone
        unnamed.CreateObservableGauge("unasked", () => 1);

        var text = exporter.Render();

        Assert.Contains("their_threads 4\n", text);
        Assert.DoesNotContain("their_exceptions", text);
        Assert.DoesNotContain("unasked", text);
    }

    [Fact]
    public void RecordingAnExchange_IntoExistingSeries_AllocatesNothing()
    {
        using var metrics = new SidecarMetrics();
        using var exporter = new PrometheusExporter(metrics.Meter);
        var failure = new ForwardingFailure(FailureCode.ProxyAuthFailed, ForwardingFailure.ProxyHop, System.Net.HttpStatusCode.BadGateway, "refused");
        metrics.RecordExchange("backend", "GET", 200, null, 0.004, 0, 312); // creates the series
        metrics.RecordExchange("backend", "GET", 502, failure, 0.2, 0, 166);
        var before = GC.GetAllocatedBytesForCurrentThread();

        for (var i = 0; i < 1000; i++)
        {
            metrics.RecordExchange("backend", "GET", 200, null, 0.004, 0, 312);
            metrics.RecordExchange("backend", "GET", 502, failure, 0.2, 0, 166);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        var text = exporter.Render();
        Assert.Contains("apicast_sidecar_requests_total{route=\"backend\",http_request_method=\"GET\",http_response_status_code=\"200\"} 1001\n", text);
        Assert.Contains("apicast_sidecar_requests_total{route=\"backend\",http_request_method=\"GET\",http_response_status_code=\"502\",error_type=\"proxy_auth_failed\"} 1001\n", text);
    }

    [Fact]
    public void EqualTagValues_AreOneSeries_WhateverStringObjectsCarryThem()
    {
        using var meter = new Meter("test");
        using var exporter = new PrometheusExporter(meter);
        var counter = meter.CreateCounter<long>("sidecar.requests");
        var route = "backend";

        counter.Add(1, new KeyValuePair<string, object?>("route", route));
        counter.Add(1, new KeyValuePair<string, object?>("route", new string(route.AsSpan()))); // equal, not the same object
        counter.Add(1, new KeyValuePair<string, object?>("route", route));
        counter.Add(1, new KeyValuePair<string, object?>("route", 7)); // boxed anew each time: found by its text
        counter.Add(1, new KeyValuePair<string, object?>("route", 7));

        Assert.Equal("""
            # TYPE sidecar_requests_total counter
            sidecar_requests_total{route="7"} 2
            sidecar_requests_total{route="backend"} 3

            """.ReplaceLineEndings("\n"), exporter.Render());
    }

    [Fact]
    public void TagValuesMadeAnewForEachMeasurement_StillCountEachSeries()
    {
        using var meter = new Meter("test");
        using var exporter = new PrometheusExporter(meter);
        var counter = meter.CreateCounter<long>("sidecar.requests");

        // More tag sets than the series remember by identity, each recorded twice with a fresh string.
        for (var round = 0; round < 2; round++)
        {
            for (var i = 0; i < 1500; i++)
            {
                counter.Add(1, new KeyValuePair<string, object?>("route", $"r{i}"));
            }
        }

        var samples = exporter.Render().Split('\n').Where(line => line.StartsWith("sidecar_requests_total{", StringComparison.Ordinal)).ToList();
        Assert.Equal(1500, samples.Count);
        Assert.All(samples, sample => Assert.EndsWith("} 2", sample));
    }

    [Fact]
    public void ConcurrentMeasurements_AreAllCounted()
    {
        using var meter = new Meter("test");
        using var exporter = new PrometheusExporter(meter);
        var counter = meter.CreateCounter<long>("sidecar.requests");
        var histogram = meter.CreateHistogram<double>("sidecar.request.duration", unit: "s",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.1] });
        var route = new KeyValuePair<string, object?>("route", "backend");

        Parallel.For(0, 8, new ParallelOptions { MaxDegreeOfParallelism = 8 }, _ =>
        {
            for (var i = 0; i < 20_000; i++)
            {
                counter.Add(1, route);
                histogram.Record(i % 2 == 0 ? 0.0625 : 0.5, route); // sums exactly in binary
            }
        });

        var text = exporter.Render();
        Assert.Contains("sidecar_requests_total{route=\"backend\"} 160000\n", text);
        Assert.Contains("sidecar_request_duration_seconds_bucket{route=\"backend\",le=\"0.1\"} 80000\n", text);
        Assert.Contains("sidecar_request_duration_seconds_bucket{route=\"backend\",le=\"+Inf\"} 160000\n", text);
        Assert.Contains("sidecar_request_duration_seconds_sum{route=\"backend\"} 45000\n", text);
        Assert.Contains("sidecar_request_duration_seconds_count{route=\"backend\"} 160000\n", text);
    }
}
