using ApicastSidecarProxy.DeploymentTests.Infrastructure;
using ApicastSidecarProxy.Management;

namespace ApicastSidecarProxy.DeploymentTests.Monitoring;

/// <summary>The ServiceMonitor scrapes /metrics where the Service exposes the sidecar's management port.</summary>
public class ScrapeConfigurationTests
{
    [Fact]
    public void ServiceMonitor_SelectsTheService_AndScrapesItsManagementPort()
    {
        var monitor = YamlFile.LoadSingle(RepositoryFiles.ServiceMonitor).Map("spec");
        var service = YamlFile.LoadSingle(RepositoryFiles.KubernetesService);

        var serviceLabels = service.Map("metadata").Map("labels").Entries;
        Assert.All(monitor.Path("selector.matchLabels").Entries, label => Assert.Equal(label.Value, serviceLabels.GetValueOrDefault(label.Key)));
        var endpoint = Assert.Single(monitor.Maps("endpoints"));
        Assert.Equal(ManagementPaths.Metrics, endpoint.String("path"));
        var port = Assert.Single(service.Path("spec").Maps("ports"), p => p.String("name") == endpoint.String("port"));
        Assert.Equal("management", port.String("targetPort"));
    }

    [Fact]
    public void Kustomization_LoadsTheRulesTheMonitorAndTheDashboard()
    {
        var kustomization = YamlFile.LoadSingle(Path.Combine(RepositoryFiles.Monitoring, "kustomization.yaml"));

        Assert.Equal(["prometheusrule.yaml", "servicemonitor.yaml"], kustomization.Strings("resources"));
        var dashboard = Assert.Single(kustomization.Maps("configMapGenerator"));
        Assert.Equal(["apicast-sidecar-proxy.json=dashboard.json"], dashboard.Strings("files"));
        Assert.Equal("1", dashboard.Path("options.labels").String("grafana_dashboard"));
    }
}
