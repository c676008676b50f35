using System.Net;
using System.Text.Json;
using ApicastSidecarProxy.Caching;
using ApicastSidecarProxy.Configuration;
using ApicastSidecarProxy.Failures;
using ApicastSidecarProxy.Forwarding;
using ApicastSidecarProxy.Management;
using ApicastSidecarProxy.Metrics;
using ApicastSidecarProxy.Metrics.Prometheus;
using ApicastSidecarProxy.Redaction;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;

namespace ApicastSidecarProxy.Tests.Management;

/// <summary>/healthz, /readyz and /metrics in process, on a DefaultHttpContext.</summary>
public sealed class ManagementEndpointsTests : IDisposable
{
    private static readonly ForwardingFailure ProxyDown = new(FailureCode.ProxyUnreachable, ForwardingFailure.ProxyHop,
        HttpStatusCode.BadGateway, "cannot connect to the proxy http://bob:s3cret@proxy.corp:3128/");

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 6, 12, 0, 0, TimeSpan.Zero));
    private readonly SidecarMetrics _metrics = new();
    private readonly PrometheusExporter _exporter;
    private readonly ReadinessState _readiness;
    private readonly ConfigurationCache _cache;
    private readonly ManagementEndpoints _endpoints;

    public ManagementEndpointsTests()
    {
        _exporter = new PrometheusExporter(_metrics.Meter);
        _readiness = new ReadinessState(["portal", "backend"], probing: true, maxAge: TimeSpan.FromMinutes(1), _time);
        _cache = new ConfigurationCache(new ConfigCacheOptions(), _time);
        _endpoints = new ManagementEndpoints(_readiness, new SecretScrubber(["s3cret"]), _exporter,
            new Dictionary<string, ConfigurationCache> { ["portal"] = _cache });
    }

    [Fact]
    public async Task Healthz_IsOk()
    {
        var (status, body) = await GetAsync("/healthz");

        Assert.Equal((200, "ok\n"), (status, body));
    }

    [Fact]
    public async Task Readyz_IsReady_WhenEveryRouteAnsweredItsLastProbe()
    {
        ReportBoth(failure: null);

        var (status, body) = await GetAsync("/readyz");

        Assert.Equal(200, status);
        var json = JsonDocument.Parse(body).RootElement;
        Assert.Equal("ready", json.GetProperty("status").GetString());
        Assert.Equal(403, json.GetProperty("routes").GetProperty("backend").GetProperty("upstream_status").GetInt32());
    }

    [Fact]
    public async Task Readyz_NamesTheFailingHop_Scrubbed()
    {
        ReportBoth(ProxyDown);

        var (status, body) = await GetAsync("/readyz");

        Assert.Equal(503, status);
        var portal = JsonDocument.Parse(body).RootElement.GetProperty("routes").GetProperty("portal");
        Assert.False(portal.GetProperty("ready").GetBoolean());
        Assert.Equal("proxy", portal.GetProperty("hop").GetString());
        Assert.Equal("cannot connect to the proxy http://bob:***@proxy.corp:3128/", portal.GetProperty("message").GetString());
        Assert.False(portal.TryGetProperty("note", out _));
    }

    [Fact]
    public async Task Readyz_ReportsEachProxyOfTheRoutesList_ReadyWhenOneWorks()
    {
        ReportBoth(failure: null);
        _readiness.Report("backend", new RouteHealth(_time.GetUtcNow(), 403, null,
            [new ProxyHealth("http://proxy-a.corp:3128", null, ProxyDown), new ProxyHealth("http://proxy-b.corp:3128", 403, null)]));

        var (status, body) = await GetAsync("/readyz");

        Assert.Equal(200, status);
        var backend = JsonDocument.Parse(body).RootElement.GetProperty("routes").GetProperty("backend");
        var proxies = backend.GetProperty("proxies");
        Assert.True(backend.GetProperty("ready").GetBoolean());
        Assert.False(proxies.GetProperty("http://proxy-a.corp:3128").GetProperty("ready").GetBoolean());
        Assert.Equal("proxy_unreachable", proxies.GetProperty("http://proxy-a.corp:3128").GetProperty("error").GetString());
        Assert.DoesNotContain("s3cret", body);
        Assert.Equal(403, proxies.GetProperty("http://proxy-b.corp:3128").GetProperty("upstream_status").GetInt32());
        Assert.False(JsonDocument.Parse(body).RootElement.GetProperty("routes").GetProperty("portal").TryGetProperty("proxies", out _));
    }

    [Fact]
    public async Task Readyz_NotesStaleAnswersServedSinceTheLastSuccess()
    {
        ReportBoth(failure: null);
        _time.Advance(TimeSpan.FromSeconds(5));
        _cache.StaleAnswerServed();
        _time.Advance(TimeSpan.FromSeconds(5));
        ReportBoth(ProxyDown);

        var portal = JsonDocument.Parse((await GetAsync("/readyz")).Body).RootElement.GetProperty("routes").GetProperty("portal");

        Assert.Contains("stored configuration answers are being served", portal.GetProperty("note").GetString());
        Assert.Equal(1, portal.GetProperty("config_cache").GetProperty("stale_answers_served").GetInt64());
    }

    [Fact]
    public async Task Readyz_IsDraining_AfterTheSignal()
    {
        ReportBoth(failure: null);
        _readiness.StartDraining();

        var (status, body) = await GetAsync("/readyz");

        Assert.Equal(503, status);
        Assert.Equal("draining", JsonDocument.Parse(body).RootElement.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Metrics_IsThePrometheusText()
    {
        var context = Request("GET", "/metrics");

        await _endpoints.HandleAsync(context);

        Assert.StartsWith("text/plain; version=0.0.4", context.Response.ContentType);
        Assert.Contains("apicast_sidecar_build_info", Body(context));
    }

    [Theory]
    [InlineData("POST", "/healthz", 405)]
    [InlineData("GET", "/admin/api/accounts.xml", 404)]
    public async Task OtherRequests_AreRefused(string method, string path, int status)
    {
        var context = Request(method, path);

        await _endpoints.HandleAsync(context);

        Assert.Equal(status, context.Response.StatusCode);
        if (status == 405)
        {
            Assert.Equal("GET, HEAD", context.Response.Headers.Allow);
        }
    }

    public void Dispose()
    {
        _exporter.Dispose();
        _metrics.Dispose();
    }

    private void ReportBoth(ForwardingFailure? failure)
    {
        foreach (var route in _readiness.Routes)
        {
            _readiness.Report(route, new RouteHealth(_time.GetUtcNow(), failure is null ? 403 : null, failure));
        }
    }

    private async Task<(int Status, string Body)> GetAsync(string path)
    {
        var context = Request("GET", path);
        await _endpoints.HandleAsync(context);
        return (context.Response.StatusCode, Body(context));
    }

    private static DefaultHttpContext Request(string method, string path)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        context.Request.Path = path;
        context.Response.Body = new MemoryStream();
        return context;
    }

    private static string Body(HttpContext context) => System.Text.Encoding.UTF8.GetString(((MemoryStream)context.Response.Body).ToArray());
}
