using System.Net;
using System.Text.Json;
using ApicastSidecarProxy.FunctionalTests.Infrastructure;

namespace ApicastSidecarProxy.FunctionalTests.Management;

/// <summary>/readyz follows the chain: ready while the proxy carries the probes, 503 naming the hop while it is down.</summary>
[Collection(ProxyChainCollection.Name)]
public class ReadinessTests(ProxyChainFixture chain)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Readiness_Follows_TheProxyGoingDownAndComingBack()
    {
        await using var proxy = await TinyproxyProcess.StartAsync(ProxyChainFixture.TinyproxyUser, ProxyChainFixture.TinyproxyPassword);
        var environment = chain.SidecarEnvironment(proxy);
        environment["READINESS_INTERVAL"] = "0.3";
        await using var sidecar = await SidecarProcess.StartAsync(environment);
        using var client = TestHttpClients.Direct();
        var readyz = new Uri(sidecar.ManagementUri, "/readyz");

        var ready = await Eventually.ReturnsAsync(() => GetAsync(client, readyz), r => r.Status == HttpStatusCode.OK, Patience, "ready");
        await proxy.StopAsync();
        // A probe in flight when the proxy dies may see "response ended" first; the next ones see the refused connection.
        var down = await Eventually.ReturnsAsync(() => GetAsync(client, readyz),
            r => r.Status == HttpStatusCode.ServiceUnavailable
                && r.Json.GetProperty("routes").GetProperty("portal").TryGetProperty("error", out var e) && e.GetString() == "proxy_unreachable",
            Patience, "not ready with proxy_unreachable");
        await proxy.RestartAsync();
        var back = await Eventually.ReturnsAsync(() => GetAsync(client, readyz), r => r.Status == HttpStatusCode.OK, Patience, "ready again");

        Assert.Equal("ready", ready.Json.GetProperty("status").GetString());
        Assert.Equal("not_ready", down.Json.GetProperty("status").GetString());
        var portal = down.Json.GetProperty("routes").GetProperty("portal");
        Assert.False(portal.GetProperty("ready").GetBoolean());
        Assert.Equal("proxy_unreachable", portal.GetProperty("error").GetString());
        Assert.Equal("proxy", portal.GetProperty("hop").GetString());
        Assert.True(back.Json.GetProperty("routes").GetProperty("backend").GetProperty("ready").GetBoolean());
        await sidecar.WaitForLineAsync(line => line.Contains("route=portal not ready: error="));
    }

    [Fact]
    public async Task WrongProxyPassword_IsNamedByReadiness()
    {
        var environment = chain.SidecarEnvironment(chain.Squid);
        environment["https_proxy"] = chain.Squid.ProxyUri.ToString();
        environment["PROXY_USERNAME"] = ProxyChainFixture.SquidUser;
        environment["PROXY_PASSWORD"] = "readiness-wr0ng";
        environment["READINESS_INTERVAL"] = "0.3";
        await using var sidecar = await SidecarProcess.StartAsync(environment);

        var answer = await FirstFailedProbeAsync(sidecar);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, answer.Status);
        Assert.Equal("proxy_auth_failed", answer.Json.GetProperty("routes").GetProperty("backend").GetProperty("error").GetString());
        Assert.DoesNotContain("readiness-wr0ng", answer.Body);
    }

    [Fact]
    public async Task ProxyThatNeverAnswers_IsNamedByReadiness_AsConnectTimeoutAtTheProxy()
    {
        await using var silent = MisbehavingProxy.NeverAnswering();
        var environment = chain.SidecarEnvironment(silent);
        environment["READINESS_INTERVAL"] = "0.3";
        await using var sidecar = await SidecarProcess.StartAsync(environment);

        var answer = await FirstFailedProbeAsync(sidecar);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, answer.Status);
        var backend = answer.Json.GetProperty("routes").GetProperty("backend");
        Assert.Equal("connect_timeout", backend.GetProperty("error").GetString());
        Assert.Equal("proxy", backend.GetProperty("hop").GetString());
    }

    [Fact]
    public async Task Healthz_IsAlive_AndUnknownManagementPathsAre404()
    {
        await using var sidecar = await SidecarProcess.StartAsync(chain.SidecarEnvironment(chain.Tinyproxy));
        using var client = TestHttpClients.Direct();

        using var health = await client.GetAsync(new Uri(sidecar.ManagementUri, "/healthz"));
        using var unknown = await client.GetAsync(new Uri(sidecar.ManagementUri, "/admin/api/accounts.xml"));
        using var post = await client.PostAsync(new Uri(sidecar.ManagementUri, "/healthz"), null);

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, post.StatusCode);
        Assert.Equal(["GET", "HEAD"], post.Content.Headers.Allow.Order());
        Assert.Equal(0, chain.Upstream.Requests.Count(r => r.Headers.ContainsKey("X-Never")));
    }

    // /readyz once the backend route's probe has failed.
    private static async Task<ReadyzAnswer> FirstFailedProbeAsync(SidecarProcess sidecar)
    {
        using var client = TestHttpClients.Direct();
        return await Eventually.ReturnsAsync(() => GetAsync(client, new Uri(sidecar.ManagementUri, "/readyz")),
            r => r.Json.GetProperty("routes").GetProperty("backend").TryGetProperty("error", out _), Patience, "a probe result");
    }

    internal static async Task<ReadyzAnswer> GetAsync(HttpClient client, Uri readyz)
    {
        using var response = await client.GetAsync(readyz);
        var body = await response.Content.ReadAsStringAsync();
        return new ReadyzAnswer(response.StatusCode, body, JsonDocument.Parse(body).RootElement.Clone());
    }

    internal sealed record ReadyzAnswer(HttpStatusCode Status, string Body, JsonElement Json)
    {
        public override string ToString() => $"{(int)Status} {Body}";
    }
}
