using System.Net;
using System.Text.Json;
using ApicastSidecarProxy.FunctionalTests.Infrastructure;

namespace ApicastSidecarProxy.FunctionalTests.Management;

/// <summary>
/// LOG_FORMAT=json: one object per line with OpenTelemetry/ECS field names, asserted on the real sidecar's lines;
/// LOG_LEVEL=debug adds redacted headers.
/// </summary>
[Collection(ProxyChainCollection.Name)]
public class JsonLogTests(ProxyChainFixture chain)
{
    private const string UserKey = "json-log-user-k3y";
    private const string AccessToken = "json-log-access-t0ken";
    private const string TraceId = "4bf92f3577b34da6a3ce929d0e0e4736";

    [Fact]
    public async Task JsonLines_Parse_CarryTheEcsFields_AndNoSecret()
    {
        var environment = chain.SidecarEnvironment(chain.Squid);
        environment["LOG_FORMAT"] = "json";
        environment["LOG_LEVEL"] = "debug";
        environment["THREESCALE_PORTAL_ENDPOINT"] = $"https://{AccessToken}@{chain.Upstream.HostPort}";
        await using var sidecar = await SidecarProcess.StartAsync(environment);
        using var client = TestHttpClients.Direct();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(sidecar.PortalUri, $"/admin/api/accounts.xml?user_key={UserKey}"));
        request.Headers.Add("Cookie", "session=json-log-c00kie");
        request.Headers.Add("traceparent", $"00-{TraceId}-00f067aa0ba902b7-01");
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);

        var accessLine = await sidecar.WaitForLineAsync(line => line.Contains("\"log.logger\":\"access\"") && line.Contains("\"http.response.status_code\":403"));
        var lines = sidecar.OutputLines;
        var documents = lines.Select(line => JsonDocument.Parse(line).RootElement).ToList(); // every line is one object
        var access = JsonDocument.Parse(accessLine).RootElement;

        Assert.All(documents, d => Assert.True(d.TryGetProperty("@timestamp", out _) && d.TryGetProperty("log.level", out _)
            && d.TryGetProperty("message", out _), d.ToString()));
        Assert.Equal("info", access.GetProperty("log.level").GetString());
        Assert.Equal("portal", access.GetProperty("sidecar.route").GetString());
        Assert.Equal("GET", access.GetProperty("http.request.method").GetString());
        Assert.Equal("/admin/api/accounts.xml", access.GetProperty("url.path").GetString());
        Assert.Equal("user_key=***", access.GetProperty("url.query").GetString());
        Assert.Equal("127.0.0.1", access.GetProperty("client.address").GetString());
        Assert.Equal(TraceId, access.GetProperty("trace.id").GetString());
        Assert.True(access.GetProperty("event.duration").GetInt64() > 0);
        Assert.False(access.TryGetProperty("error.type", out _));
        Assert.Contains(lines, line => line.Contains("request headers") && line.Contains("Cookie: ***"));
        var output = sidecar.Output;
        Assert.DoesNotContain("OriginalFormat", output);
        Assert.DoesNotContain("\"State\"", output);
        Assert.DoesNotContain(UserKey, output);
        Assert.DoesNotContain(AccessToken, output);
        Assert.DoesNotContain("json-log-c00kie", output);
        Assert.DoesNotContain(ProxyChainFixture.SquidPassword, output);
    }

    [Fact]
    public async Task AFailedExchange_NamesItsErrorTypeAndHop()
    {
        var environment = chain.SidecarEnvironment(chain.Squid);
        environment["LOG_FORMAT"] = "json";
        environment["https_proxy"] = $"http://{ProxyChainFixture.SquidUser}:json-log-wr0ng@127.0.0.1:{chain.Squid.Port}";
        await using var sidecar = await SidecarProcess.StartAsync(environment);
        using var client = TestHttpClients.Direct();
        using var response = await client.GetAsync(new Uri(sidecar.BackendUri, "/transactions/authorize.xml"));
        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);

        var line = await sidecar.WaitForLineAsync(line => line.Contains("\"error.type\":\"proxy_auth_failed\""));
        var access = JsonDocument.Parse(line).RootElement;

        Assert.Equal("warn", access.GetProperty("log.level").GetString());
        Assert.Equal("backend", access.GetProperty("sidecar.route").GetString());
        Assert.Equal(502, access.GetProperty("http.response.status_code").GetInt32());
        Assert.Equal("proxy", access.GetProperty("sidecar.hop").GetString());
        Assert.Contains("rejected", access.GetProperty("error.message").GetString());
        Assert.False(access.TryGetProperty("trace.id", out _)); // the client sent no traceparent
        Assert.DoesNotContain("json-log-wr0ng", sidecar.Output);
    }
}
