using System.Net;
using System.Text.RegularExpressions;
using ApicastSidecarProxy.FunctionalTests.Infrastructure;

namespace ApicastSidecarProxy.FunctionalTests.Monitoring;

/// <summary>
/// deploy/monitoring/ against the real thing: a real Prometheus scrapes two running sidecars (one healthy, one whose
/// proxy rejects its password) and loads the alert rules; every metric an alert or a dashboard panel reads must then
/// have data, so a renamed metric can never silently break a panel or an alert.
/// </summary>
[Collection(ProxyChainCollection.Name)]
public partial class MonitoringKitTests(ProxyChainFixture chain)
{
    private static readonly TimeSpan DataTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task EveryMetricOfTheAlertsAndTheDashboard_HasDataInARealPrometheus_AfterTrafficAndFailures()
    {
        await using var healthy = await SidecarProcess.StartAsync(WithProbes(chain.SidecarEnvironment(chain.Tinyproxy)));
        var rejectedEnvironment = WithProbes(chain.SidecarEnvironment(chain.Squid));
        rejectedEnvironment["https_proxy"] = $"http://{ProxyChainFixture.SquidUser}:monitoring-wr0ng@127.0.0.1:{chain.Squid.Port}";
        await using var rejected = await SidecarProcess.StartAsync(rejectedEnvironment);
        await SendTrafficAsync(healthy, rejected);

        await using var prometheus = await PrometheusProcess.StartAsync(
            [healthy.ManagementUri.Authority, rejected.ManagementUri.Authority], [MonitoringKit.AlertRules]);
        var ruleQueries = await prometheus.RuleQueriesAsync();
        Assert.Equal(AlertCount(), ruleQueries.Count); // Prometheus loaded every rule
        var names = ruleQueries.Concat(MonitoringKit.DashboardQueries()).SelectMany(PromQl.MetricNames).ToHashSet();

        await Eventually.ReturnsAsync(prometheus.AllTargetsUpAsync, up => up, DataTimeout, "both sidecars scraped");
        var missing = names.ToList();
        for (var deadline = DateTime.UtcNow + DataTimeout; missing.Count > 0 && DateTime.UtcNow < deadline; await Task.Delay(200))
        {
            foreach (var name in missing.ToList())
            {
                if (await prometheus.SeriesCountAsync(name) > 0) missing.Remove(name);
            }
        }

        Assert.True(missing.Count == 0, $"no data in Prometheus for: {string.Join(", ", missing)}");
        Assert.Contains("apicast_sidecar_requests_total", names);
        Assert.Contains("dotnet_process_memory_working_set_bytes", names);
    }

    [Fact]
    public async Task AProxyCredentialRejection_FiresItsAlert_InARealPrometheus()
    {
        var environment = WithProbes(chain.SidecarEnvironment(chain.Squid));
        environment["https_proxy"] = $"http://{ProxyChainFixture.SquidUser}:monitoring-wr0ng@127.0.0.1:{chain.Squid.Port}";
        await using var sidecar = await SidecarProcess.StartAsync(environment);

        await using var prometheus = await PrometheusProcess.StartAsync([sidecar.ManagementUri.Authority], [MonitoringKit.AlertRules]);

        // The probe meets the rejection every second: the counter rises between scrapes, and the alert has no `for`.
        await Eventually.ReturnsAsync(
            () => prometheus.SeriesCountAsync("ALERTS{alertname=\"ApicastSidecarProxyCredentialsRejected\", alertstate=\"firing\", route=\"portal\"}"),
            count => count == 1, DataTimeout, "the credentials-rejected alert firing");
    }

    [Fact]
    public async Task EveryMetricOfTheDashboard_IsInARealScrape()
    {
        await using var healthy = await SidecarProcess.StartAsync(WithProbes(chain.SidecarEnvironment(chain.Tinyproxy)));
        await SendTrafficAsync(healthy, null);
        await Eventually.ReturnsAsync(() => ScrapeAsync(healthy), text => text.Contains("apicast_sidecar_ready{"), DataTimeout, "a probe");

        var exposed = SampleName().Matches(await ScrapeAsync(healthy)).Select(match => match.Groups[1].Value).ToHashSet();

        var queried = MonitoringKit.DashboardQueries().SelectMany(PromQl.MetricNames).ToHashSet();
        Assert.NotEmpty(queried);
        // The failure counters of a healthy sidecar are 0, still in the scrape; nothing of the dashboard is missing.
        Assert.Empty(queried.Except(exposed));
    }

    private static Dictionary<string, string> WithProbes(Dictionary<string, string> environment)
    {
        environment["READINESS_INTERVAL"] = "1";
        return environment;
    }

    /// <summary>Forwarded exchanges on both routes of the healthy sidecar; a rejected tunnel on the other.</summary>
    private static async Task SendTrafficAsync(SidecarProcess healthy, SidecarProcess? rejected)
    {
        using var client = TestHttpClients.Direct();
        for (var i = 0; i < 3; i++)
        {
            using var backend = await client.GetAsync(new Uri(healthy.BackendUri, "/transactions/authorize.xml?user_key=monitoring-k3y"));
            Assert.Equal(HttpStatusCode.Forbidden, backend.StatusCode);
            using var portal = await client.GetAsync(new Uri(healthy.PortalUri, "/admin/api/accounts.xml"));
            Assert.Equal(HttpStatusCode.Forbidden, portal.StatusCode);
        }

        if (rejected is not null)
        {
            using var failing = await client.GetAsync(new Uri(rejected.PortalUri, "/admin/api/accounts.xml"));
            Assert.Equal(HttpStatusCode.BadGateway, failing.StatusCode);
            await rejected.WaitForAccessLogAsync("proxy_auth_failed");
        }
    }

    private static async Task<string> ScrapeAsync(SidecarProcess sidecar)
    {
        using var client = TestHttpClients.Direct();
        return await client.GetStringAsync(new Uri(sidecar.ManagementUri, "/metrics"));
    }

    private static int AlertCount() => Regex.Matches(File.ReadAllText(MonitoringKit.AlertRules), @"^\s*- alert: ", RegexOptions.Multiline).Count;

    [GeneratedRegex(@"^([a-zA-Z_:][a-zA-Z0-9_:]*)[{ ]", RegexOptions.Multiline)]
    private static partial Regex SampleName();
}
