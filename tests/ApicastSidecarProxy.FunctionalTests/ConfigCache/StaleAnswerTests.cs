using System.Net;
using System.Text.Json;
using ApicastSidecarProxy.FunctionalTests.Infrastructure;

namespace ApicastSidecarProxy.FunctionalTests.ConfigCache;

/// <summary>
/// Riding out an outage: after APIcast's configuration downloads succeeded, the proxy goes down, and the same requests
/// get the stored answers (marked stale), while anything else fails as it would have.
/// </summary>
public sealed class StaleAnswerTests(ConfigCacheFixture fixture) : IClassFixture<ConfigCacheFixture>
{
    // Killing the proxy breaks its pooled tunnels too: a request may find that out on the connection it picked.
    private static readonly string[] OutageCodes = ["proxy_unreachable", "upstream_unreachable", "upstream_error"];

    [Fact]
    public async Task ProxyDown_ApicastsRequests_GetTheStoredAnswers_ByteForByte()
    {
        await using var proxy = await fixture.StartProxyAsync();
        await using var sidecar = await SidecarProcess.StartAsync(fixture.SidecarEnvironment(proxy));
        using var client = TestHttpClients.Direct();
        var fresh = new Dictionary<string, Answer>();
        foreach (var target in ConfigCacheFixture.ApicastRequests)
        {
            fresh[target] = await ConfigCacheFixture.GetAsync(client, sidecar.PortalUri, target);
            Assert.True(fresh[target].Status == HttpStatusCode.OK && !fresh[target].IsStale, fresh[target].ToString());
        }

        await proxy.StopAsync();

        foreach (var target in ConfigCacheFixture.ApicastRequests)
        {
            var stale = await ConfigCacheFixture.GetAsync(client, sidecar.PortalUri, target);
            Assert.True(stale.Status == HttpStatusCode.OK && stale.IsStale, $"{target}: {stale}");
            Assert.Equal(fresh[target].Body, stale.Body);
            Assert.Equal(fresh[target].ContentType, stale.ContentType);
            Assert.Contains(stale.Error, OutageCodes);
            Assert.InRange(stale.Age!.Value, 0, 60);
        }

        var line = await sidecar.WaitForLineAsync(l => l.Contains(" access[") && l.Contains("route=portal") && l.Contains("served the answer stored"));
        Assert.Contains(" status=200 ", line);
        Assert.Matches(" error=(proxy_unreachable|upstream_unreachable|upstream_error) ", line);
        await Eventually.ReturnsAsync(() => SidecarMetricsReader.SumAsync(sidecar, "apicast_sidecar_config_cache_stale_answers_total"),
            count => count == ConfigCacheFixture.ApicastRequests.Length, TimeSpan.FromSeconds(10), "six stale answers counted");
        Assert.DoesNotContain(ConfigCacheFixture.Token, sidecar.Output);
    }

    [Fact]
    public async Task ProxyDown_AnotherTokenQueryMethodOrRoute_FailsAsItWould()
    {
        await using var proxy = await fixture.StartProxyAsync();
        await using var sidecar = await SidecarProcess.StartAsync(fixture.SidecarEnvironment(proxy));
        using var client = TestHttpClients.Direct();
        var target = ConfigCacheFixture.ApicastRequests[0];
        Assert.Equal(HttpStatusCode.OK, (await ConfigCacheFixture.GetAsync(client, sidecar.PortalUri, target)).Status);
        using (var backend = await client.GetAsync(new Uri(sidecar.BackendUri, "/admin/api/services.json?page=1&per_page=500")))
        {
            Assert.Equal(HttpStatusCode.Forbidden, backend.StatusCode); // reached the upstream: the backend route works
        }

        await proxy.StopAsync();
        Assert.True((await ConfigCacheFixture.GetAsync(client, sidecar.PortalUri, target)).IsStale);

        AssertFails(await ConfigCacheFixture.GetAsync(client, sidecar.PortalUri, target, ConfigCacheFixture.OtherToken));
        AssertFails(await ConfigCacheFixture.GetAsync(client, sidecar.PortalUri, target.Replace("page=1", "page=3")));
        AssertFails(await ConfigCacheFixture.GetAsync(client, sidecar.PortalUri, target + "&host=other.example.com"));
        using (var post = new HttpRequestMessage(HttpMethod.Post, new Uri(sidecar.PortalUri, target)))
        {
            post.Headers.TryAddWithoutValidation("Authorization", FakeAdminPortal.Authorization(ConfigCacheFixture.Token));
            using var response = await client.SendAsync(post);
            AssertFails(await Answer.ReadAsync(response));
        }

        AssertFails(await ConfigCacheFixture.GetAsync(client, sidecar.BackendUri, "/admin/api/services.json?page=1&per_page=500"));
    }

    [Fact]
    public async Task PortalAnswers403_AfterA200_Is403_AndNothingIsServedForItLater()
    {
        await using var proxy = await fixture.StartProxyAsync();
        await using var sidecar = await SidecarProcess.StartAsync(fixture.SidecarEnvironment(proxy));
        using var client = TestHttpClients.Direct();
        var target = ConfigCacheFixture.ApicastRequests[4];
        const string revoked = "revoked-t0ken-3";
        fixture.Portal.Tokens[revoked] = 3;
        Assert.Equal(HttpStatusCode.OK, (await ConfigCacheFixture.GetAsync(client, sidecar.PortalUri, target, revoked)).Status);

        fixture.Portal.Tokens.TryRemove(revoked, out _);
        var denied = await ConfigCacheFixture.GetAsync(client, sidecar.PortalUri, target, revoked);
        Assert.True(denied.Status == HttpStatusCode.Forbidden && denied.Cache is null && denied.Error is null, denied.ToString());
        Assert.Contains("Access denied", denied.Text);

        await proxy.StopAsync();
        AssertFails(await ConfigCacheFixture.GetAsync(client, sidecar.PortalUri, target, revoked));
    }

    [Fact]
    public async Task PortalAnswers503_TheStoredAnswerStandsIn_OtherwiseThe503PassesThrough()
    {
        await using var proxy = await fixture.StartProxyAsync();
        await using var sidecar = await SidecarProcess.StartAsync(fixture.SidecarEnvironment(proxy));
        using var client = TestHttpClients.Direct();
        const string target = "/admin/api/services/44/proxy/configs/staging/latest.json";
        var fresh = await ConfigCacheFixture.GetAsync(client, sidecar.PortalUri, target);

        Answer stale, passedThrough;
        fixture.Portal.OutageStatus = 503;
        try
        {
            stale = await ConfigCacheFixture.GetAsync(client, sidecar.PortalUri, target);
            passedThrough = await ConfigCacheFixture.GetAsync(client, sidecar.PortalUri, "/admin/api/services/45/proxy/configs/staging/latest.json");
        }
        finally
        {
            fixture.Portal.OutageStatus = null;
        }

        Assert.True(stale.Status == HttpStatusCode.OK && stale.IsStale && stale.Error == "upstream_unavailable", stale.ToString());
        Assert.Equal(fresh.Body, stale.Body);
        Assert.True(passedThrough.Status == HttpStatusCode.ServiceUnavailable && passedThrough.Cache is null, passedThrough.ToString());
        Assert.Contains("Service Unavailable", passedThrough.Text);
    }

    [Fact]
    public async Task ManyWorkersAtOnce_DuringAnOutage_EachGetsTheStoredAnswer()
    {
        await using var proxy = await fixture.StartProxyAsync();
        await using var sidecar = await SidecarProcess.StartAsync(fixture.SidecarEnvironment(proxy));
        using var client = TestHttpClients.Direct();
        var target = ConfigCacheFixture.ApicastRequests[2];
        var fresh = await ConfigCacheFixture.GetAsync(client, sidecar.PortalUri, target);
        await proxy.StopAsync();

        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => ConfigCacheFixture.GetAsync(client, sidecar.PortalUri, target)));

        Assert.All(answers, answer =>
        {
            Assert.True(answer.Status == HttpStatusCode.OK && answer.IsStale, answer.ToString());
            Assert.Equal(fresh.Body, answer.Body);
        });
    }

    [Fact]
    public async Task ChangedConfiguration_ReplacesTheStoredAnswer()
    {
        await using var proxy = await fixture.StartProxyAsync();
        await using var sidecar = await SidecarProcess.StartAsync(fixture.SidecarEnvironment(proxy));
        using var client = TestHttpClients.Direct();
        const string target = "/admin/api/services/46/proxy/configs/production/latest.json";
        await ConfigCacheFixture.GetAsync(client, sidecar.PortalUri, target);
        fixture.Portal.Generation++;
        var changed = await ConfigCacheFixture.GetAsync(client, sidecar.PortalUri, target);

        await proxy.StopAsync();

        var stale = await ConfigCacheFixture.GetAsync(client, sidecar.PortalUri, target);
        Assert.True(stale.IsStale, stale.ToString());
        Assert.Equal(changed.Body, stale.Body);
    }

    [Fact]
    public async Task Readyz_StillReportsThePortalFailing_WithANote()
    {
        await using var proxy = await fixture.StartProxyAsync();
        var environment = fixture.SidecarEnvironment(proxy);
        environment["READINESS_INTERVAL"] = "1";
        await using var sidecar = await SidecarProcess.StartAsync(environment);
        using var client = TestHttpClients.Direct();
        var readyz = new Uri(sidecar.ManagementUri, "/readyz");
        await Eventually.ReturnsAsync(async () => (await client.GetAsync(readyz)).StatusCode, status => status == HttpStatusCode.OK,
            TimeSpan.FromSeconds(30), "/readyz ready");
        await ConfigCacheFixture.GetAsync(client, sidecar.PortalUri, ConfigCacheFixture.ApicastRequests[3]);

        await proxy.StopAsync();
        Assert.True((await ConfigCacheFixture.GetAsync(client, sidecar.PortalUri, ConfigCacheFixture.ApicastRequests[3])).IsStale);

        var portal = await Eventually.ReturnsAsync(async () =>
            {
                using var response = await client.GetAsync(readyz); // 503 while not ready
                return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("routes").GetProperty("portal");
            },
            route => !route.GetProperty("ready").GetBoolean() && route.TryGetProperty("note", out _), TimeSpan.FromSeconds(30),
            "the portal route failing with a note");
        Assert.Equal("proxy", portal.GetProperty("hop").GetString());
        Assert.Contains("stored configuration answers are being served", portal.GetProperty("note").GetString());
        Assert.Equal(1, portal.GetProperty("config_cache").GetProperty("stale_answers_served").GetInt64());
    }

    private static void AssertFails(Answer answer)
    {
        Assert.True(answer.Status == HttpStatusCode.BadGateway && answer.Cache is null && answer.Error is not null
            && OutageCodes.Contains(answer.Error), answer.ToString());
        var json = JsonDocument.Parse(answer.Body).RootElement;
        Assert.Equal(answer.Error, json.GetProperty("error").GetString());
    }
}
