using System.Text.Json;
using ApicastSidecarProxy.Caching;
using ApicastSidecarProxy.Failures;
using ApicastSidecarProxy.Metrics.Prometheus;
using ApicastSidecarProxy.Redaction;
using Microsoft.AspNetCore.Http;

namespace ApicastSidecarProxy.Management;

/// <summary>Serves /healthz, /readyz and /metrics on the management listener.</summary>
/// <param name="configCaches">The configuration cache of each route that has one, for /readyz.</param>
public sealed class ManagementEndpoints(ReadinessState readiness, SecretScrubber scrubber, PrometheusExporter metrics,
    IReadOnlyDictionary<string, ConfigurationCache> configCaches)
{
    public Task HandleAsync(HttpContext context)
    {
        if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method))
        {
            context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            context.Response.Headers.Allow = "GET, HEAD";
            return Task.CompletedTask;
        }

        switch (context.Request.Path.Value)
        {
            case ManagementPaths.Healthz:
                return HealthzAsync(context);
            case ManagementPaths.Readyz:
                return ReadyzAsync(context);
            case ManagementPaths.Metrics:
                return MetricsAsync(context);
            default:
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
        }
    }

    /// <summary>Liveness: the process is up and its request pipeline runs.</summary>
    public static Task HealthzAsync(HttpContext context)
    {
        context.Response.ContentType = "text/plain";
        return context.Response.WriteAsync("ok\n");
    }

    /// <summary>Every metric, in the Prometheus text format.</summary>
    public Task MetricsAsync(HttpContext context)
    {
        context.Response.ContentType = PrometheusText.ContentType;
        context.Response.Headers.CacheControl = "no-store";
        return context.Response.WriteAsync(metrics.Render());
    }

    /// <summary>200 when every route's chain was verified recently; 503 naming the failing hop otherwise, or when draining.</summary>
    public async Task ReadyzAsync(HttpContext context)
    {
        var ready = readiness.IsReady;
        context.Response.StatusCode = ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable;
        context.Response.ContentType = "application/json";
        context.Response.Headers.CacheControl = "no-store";

        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("status", readiness.Draining ? "draining" : ready ? "ready" : "not_ready");
            json.WriteStartObject("routes");
            foreach (var route in readiness.Routes)
            {
                WriteRoute(json, route, readiness.Health(route));
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        await context.Response.Body.WriteAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), context.RequestAborted);
    }

    private void WriteRoute(Utf8JsonWriter json, string route, RouteHealth? health)
    {
        json.WriteStartObject(route);
        if (!readiness.Probing)
        {
            json.WriteString("message", "probing is off (READINESS_INTERVAL=0)");
            json.WriteEndObject();
            return;
        }

        if (health is null)
        {
            json.WriteBoolean("ready", false);
            json.WriteString("message", "not probed yet");
            json.WriteEndObject();
            return;
        }

        var fresh = readiness.IsFresh(health);
        json.WriteBoolean("ready", health.Ok && fresh);
        json.WriteString("checked_at", health.CheckedAt);
        if (health.UpstreamStatus is { } status)
        {
            json.WriteNumber("upstream_status", status);
        }

        if (health.Failure is { } failure)
        {
            WriteFailure(json, failure);
        }
        else if (!fresh)
        {
            json.WriteString("message", "the last successful probe is too old");
        }

        if (health.Proxies is { Count: > 0 } proxies)
        {
            WriteProxies(json, proxies);
        }

        if (configCaches.GetValueOrDefault(route) is { } cache)
        {
            WriteConfigCache(json, route, health, cache);
        }

        json.WriteEndObject();
    }

    /// <summary>Each proxy of the route's list, as its own probe found it.</summary>
    private void WriteProxies(Utf8JsonWriter json, IReadOnlyList<ProxyHealth> proxies)
    {
        json.WriteStartObject("proxies");
        foreach (var proxy in proxies)
        {
            json.WriteStartObject(proxy.Proxy);
            json.WriteBoolean("ready", proxy.Ok);
            if (proxy.UpstreamStatus is { } status)
            {
                json.WriteNumber("upstream_status", status);
            }

            if (proxy.Failure is { } failure)
            {
                WriteFailure(json, failure);
            }

            json.WriteEndObject();
        }

        json.WriteEndObject();
    }

    private void WriteFailure(Utf8JsonWriter json, ForwardingFailure failure)
    {
        json.WriteString("error", failure.CodeText);
        json.WriteString("hop", failure.Hop);
        json.WriteString("message", scrubber.Scrub(failure.Message));
    }

    /// <summary>
    /// The cache's part of a route: how many stale answers it served, and a note while the route fails and APIcast is
    /// kept running on stored answers (served since the chain last answered a probe).
    /// </summary>
    private void WriteConfigCache(Utf8JsonWriter json, string route, RouteHealth health, ConfigurationCache cache)
    {
        json.WriteStartObject("config_cache");
        json.WriteNumber("stale_answers_served", cache.StaleAnswersServed);
        if (cache.LastStaleAnswerAt is { } lastStale)
        {
            json.WriteString("last_stale_answer_at", lastStale);
        }

        json.WriteEndObject();
        if (!health.Ok && cache.LastStaleAnswerAt is { } served && (readiness.LastSuccess(route) is not { } success || served > success))
        {
            json.WriteString("note", "stored configuration answers are being served in place of the failing portal (X-Sidecar-Cache: stale)");
        }
    }
}
