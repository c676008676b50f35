using System.Text.Json;
using ApicastSidecarProxy.DeploymentTests.Infrastructure;

namespace ApicastSidecarProxy.DeploymentTests.Monitoring;

/// <summary>
/// deploy/monitoring/dashboard.json is a Grafana dashboard whose every panel queries Prometheus. That each query's
/// metrics exist in a real scrape is proven by the functional tests (Monitoring/MonitoringKitTests).
/// </summary>
public class DashboardTests
{
    private static readonly JsonElement Dashboard = JsonDocument.Parse(File.ReadAllText(RepositoryFiles.Dashboard)).RootElement;

    private static IEnumerable<JsonElement> Panels => Dashboard.GetProperty("panels").EnumerateArray()
        .Where(panel => panel.GetProperty("type").GetString() != "row");

    [Fact]
    public void EveryPanel_HasATitle_AndAtLeastOnePrometheusQuery()
    {
        Assert.NotEmpty(Panels);
        Assert.All(Panels, panel =>
        {
            var title = panel.GetProperty("title").GetString();
            Assert.False(string.IsNullOrWhiteSpace(title));
            var targets = panel.GetProperty("targets").EnumerateArray().ToList();
            Assert.True(targets.Count > 0, $"panel '{title}' has no query");
            Assert.All(targets, target => Assert.False(string.IsNullOrWhiteSpace(target.GetProperty("expr").GetString()), title));
            Assert.Equal("${datasource}", panel.GetProperty("datasource").GetProperty("uid").GetString());
        });
    }

    [Fact]
    public void Panels_HaveDistinctIds_AndPositions()
    {
        var panels = Dashboard.GetProperty("panels").EnumerateArray().ToList();

        Assert.Equal(panels.Count, panels.Select(p => p.GetProperty("id").GetInt32()).Distinct().Count());
        Assert.All(panels, p => Assert.True(p.GetProperty("gridPos").GetProperty("w").GetInt32() is > 0 and <= 24));
    }

    [Theory]
    [InlineData("requests", "apicast_sidecar_requests_total")]
    [InlineData("latency", "apicast_sidecar_request_duration_seconds_bucket")]
    [InlineData("open tunnels", "apicast_sidecar_proxy_connections_open")]
    [InlineData("proxy authentication failures", "apicast_sidecar_proxy_auth_failures_total")]
    [InlineData("readiness", "apicast_sidecar_ready")]
    [InlineData("memory", "dotnet_process_memory_working_set_bytes")]
    [InlineData("requests waiting for a turn", "apicast_sidecar_upstream_waiting")]
    public void TheDashboard_ShowsWhatAnOperatorLooksFor(string what, string metric)
    {
        Assert.True(Panels.Any(panel => panel.GetProperty("targets").EnumerateArray()
            .Any(target => target.GetProperty("expr").GetString()!.Contains(metric, StringComparison.Ordinal))),
            $"no panel shows {what} ({metric})");
    }
}
