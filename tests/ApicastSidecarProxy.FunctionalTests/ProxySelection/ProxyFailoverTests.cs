using System.Net;
using System.Text.Json;
using ApicastSidecarProxy.FunctionalTests.Infrastructure;

namespace ApicastSidecarProxy.FunctionalTests.ProxySelection;

/// <summary>
/// PROXY_FAILOVER with two real tinyproxies: steady sequential traffic through proxy A, A stopped, the traffic goes on
/// through B; A back, and after PROXY_RETRY_AFTER the traffic is back on A. Each request's proxy is read from its
/// access-log line (proxy=).
/// </summary>
[Collection(ProxyChainCollection.Name)]
public class ProxyFailoverTests(ProxyChainFixture chain)
{
    private const string Check = "/transactions/authorize.xml"; // the fake backend answers 403 without a key

    [Fact]
    public async Task ProxyA_Down_TrafficGoesOnThroughB_WithAtMostTheFirstRequestFailing_ThenBackToA()
    {
        await using var a = await TinyproxyProcess.StartAsync();
        await using var b = await TinyproxyProcess.StartAsync();
        var environment = chain.SidecarEnvironment(a);
        environment["PROXY_FAILOVER"] = b.ProxyUri.ToString();
        environment["PROXY_RETRY_AFTER"] = "2";
        await using var sidecar = await SidecarProcess.StartAsync(environment);
        using var client = TestHttpClients.Direct();

        Assert.All(await SendAsync(client, sidecar, 5), status => Assert.Equal(HttpStatusCode.Forbidden, status));
        await WaitForLinesAsync(sidecar, 5);
        Assert.Equal(5, ProxyLines(sidecar, a));
        Assert.True(a.CountConnects(chain.Upstream.HostPort) >= 1);

        await a.StopAsync();
        var duringOutage = await SendAsync(client, sidecar, 20);

        Assert.All(duringOutage.Skip(1), status => Assert.Equal(HttpStatusCode.Forbidden, status));
        await WaitForLinesAsync(sidecar, 25);
        Assert.True(ProxyLines(sidecar, b) >= 19, sidecar.Output);
        Assert.True(b.CountConnects(chain.Upstream.HostPort) >= 1);
        Assert.Contains(sidecar.OutputLines, line => line.Contains($"proxy {a.ProxyUri.ToString().TrimEnd('/')} failed", StringComparison.Ordinal)
            && line.Contains("PROXY_RETRY_AFTER", StringComparison.Ordinal));

        await a.RestartAsync();
        var sent = 25;
        await Eventually.ReturnsAsync(async () =>
        {
            await SendAsync(client, sidecar, 1);
            await WaitForLinesAsync(sidecar, ++sent);
            return ProxyLines(sidecar, a);
        }, through => through > 5, TimeSpan.FromSeconds(30), "a request through proxy A again");
        var afterReturn = await SendAsync(client, sidecar, 5);
        await WaitForLinesAsync(sidecar, sent + 5);

        Assert.All(afterReturn, status => Assert.Equal(HttpStatusCode.Forbidden, status));
        Assert.Equal(5 + 6, ProxyLines(sidecar, a));
    }

    [Fact]
    public async Task Readyz_ProbesEachProxy_AndTheRouteStaysReadyWhileOneWorks()
    {
        await using var a = await TinyproxyProcess.StartAsync();
        await using var b = await TinyproxyProcess.StartAsync();
        var environment = chain.SidecarEnvironment(a);
        environment["PROXY_FAILOVER"] = b.ProxyUri.ToString();
        environment["READINESS_INTERVAL"] = "1";
        await using var sidecar = await SidecarProcess.StartAsync(environment);
        using var client = TestHttpClients.Direct();
        var proxyA = $"http://127.0.0.1:{a.Port}";
        var proxyB = $"http://127.0.0.1:{b.Port}";

        await a.StopAsync();
        var backend = await Eventually.ReturnsAsync(() => BackendReadinessAsync(client, sidecar),
            // A probe caught in the middle of A's stop may fail otherwise (its tunnel cut mid-handshake); the next ones are refused.
            route => route.TryGetProperty("proxies", out var proxies)
                && proxies.GetProperty(proxyA).TryGetProperty("error", out var error) && error.GetString() == "proxy_unreachable",
            TimeSpan.FromSeconds(30), "proxy A reported unreachable in /readyz");

        Assert.True(backend.GetProperty("ready").GetBoolean());
        Assert.False(backend.GetProperty("proxies").GetProperty(proxyA).GetProperty("ready").GetBoolean());
        Assert.True(backend.GetProperty("proxies").GetProperty(proxyB).GetProperty("ready").GetBoolean());
    }

    private static async Task<JsonElement> BackendReadinessAsync(HttpClient client, SidecarProcess sidecar)
    {
        using var response = await client.GetAsync(new Uri(sidecar.ManagementUri, "/readyz"));
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("routes").GetProperty("backend").Clone();
    }

    [Fact]
    public async Task EveryProxyDown_IsProxyUnreachable_NamingTheLastTried_AndTheOthers()
    {
        using var closedA = new ClosedTcpPort();
        using var closedB = new ClosedTcpPort();
        var environment = chain.SidecarEnvironment(chain.Tinyproxy);
        environment["https_proxy"] = $"http://127.0.0.1:{closedA.Port}";
        environment["PROXY_FAILOVER"] = $"http://127.0.0.1:{closedB.Port}";
        await using var sidecar = await SidecarProcess.StartAsync(environment);
        using var client = TestHttpClients.Direct();

        using var response = await client.GetAsync(new Uri(sidecar.BackendUri, Check));
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal("proxy_unreachable", body.GetProperty("error").GetString());
        Assert.Contains($"127.0.0.1:{closedB.Port}", body.GetProperty("message").GetString());
        Assert.Contains($"127.0.0.1:{closedA.Port}", body.GetProperty("message").GetString());
    }

    [Fact]
    public async Task AWrongPassword_IsNotTriedOnTheNextProxy()
    {
        await using var b = await TinyproxyProcess.StartAsync();
        var environment = chain.SidecarEnvironment(chain.Squid);
        environment["https_proxy"] = chain.Squid.ProxyUri.ToString();
        environment["PROXY_USERNAME"] = ProxyChainFixture.SquidUser;
        environment["PROXY_PASSWORD"] = "wrong-Passw0rd";
        environment["PROXY_FAILOVER"] = b.ProxyUri.ToString();
        await using var sidecar = await SidecarProcess.StartAsync(environment);
        using var client = TestHttpClients.Direct();

        using var response = await client.GetAsync(new Uri(sidecar.BackendUri, Check));

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal("proxy_auth_failed", response.Headers.GetValues("X-Sidecar-Error").Single());
        Assert.Equal(0, b.CountConnects(chain.Upstream.HostPort));
    }

    private static Task WaitForLinesAsync(SidecarProcess sidecar, int count) => Eventually.ReturnsAsync(
        () => Task.FromResult(sidecar.OutputLines.Count(line => line.Contains("access[", StringComparison.Ordinal)
            && line.Contains("route=backend", StringComparison.Ordinal))),
        lines => lines >= count, TimeSpan.FromSeconds(10), $"{count} access-log lines");

    private static int ProxyLines(SidecarProcess sidecar, ForwardProxyProcess proxy) =>
        sidecar.OutputLines.Count(line => line.Contains("route=backend", StringComparison.Ordinal)
            && line.Contains($" proxy=http://127.0.0.1:{proxy.Port}", StringComparison.Ordinal));

    private static async Task<List<HttpStatusCode>> SendAsync(HttpClient client, SidecarProcess sidecar, int count)
    {
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < count; i++)
        {
            using var response = await client.GetAsync(new Uri(sidecar.BackendUri, Check));
            statuses.Add(response.StatusCode);
        }

        return statuses;
    }
}
