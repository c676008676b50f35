using System.Text.RegularExpressions;
using ApicastSidecarProxy.Configuration;
using ApicastSidecarProxy.DeploymentTests.Infrastructure;

namespace ApicastSidecarProxy.DeploymentTests.Manifests;

/// <summary>
/// The operator variant: the sidecar as its own Deployment and Service, reachable only from the operator's APIcast pods,
/// kept up through drains, and an APIcast custom resource whose portal Secret and backend point at it.
/// </summary>
public partial class OperatorVariantTests
{
    private static readonly string Text = File.ReadAllText(RepositoryFiles.OperatorVariant);

    private static YamlMap Object(string kind) => PodSpec.TemplateObject(RepositoryFiles.OperatorVariant, kind);

    private static IReadOnlyDictionary<string, object?> PodLabels => Object("Deployment").Path("spec.template.metadata.labels").Entries;

    private static int Port(string name) => PodSpec.Load("operator").Sidecar.ContainerPort(name)!.Value;

    /// <summary>The operator names the APIcast Deployment apicast-NAME and labels its pods deployment=apicast-NAME.</summary>
    private const string ApicastPodLabel = "apicast-${APICAST_NAME}";

    [Fact]
    public void Service_SelectsTheSidecarPods_OnItsThreePorts()
    {
        var service = Object("Service");

        Assert.Equal("${APICAST_NAME}-sidecar-proxy", service.Map("metadata").String("name"));
        Assert.All(service.Path("spec.selector").Entries, label => Assert.Equal(label.Value, PodLabels[label.Key]));
        Assert.Equal(["portal", "backend", "management"], service.Path("spec").Maps("ports").Select(p => p.String("targetPort")));
    }

    [Fact]
    public void Sidecar_ListensOnThePodNetwork_SinceApicastIsInAnotherPod()
    {
        Assert.Null(PodSpec.Load("operator").Sidecar.EnvEntry(SettingNames.ListenAddress));
    }

    [Fact]
    public void NetworkPolicy_LetsOnlyTheGatewaysPodsReachTheForwardingPorts()
    {
        var policy = Object("NetworkPolicy").Path("spec");

        Assert.All(policy.Path("podSelector.matchLabels").Entries, label => Assert.Equal(label.Value, PodLabels[label.Key]));
        Assert.Equal(["Ingress"], policy.Strings("policyTypes"));
        var forwarding = policy.Maps("ingress").Single(rule => Ports(rule).Contains(Port("portal")));
        Assert.Equal([Port("portal"), Port("backend")], Ports(forwarding));
        var from = Assert.Single(forwarding.Maps("from"));
        Assert.Equal(ApicastPodLabel, from.Path("podSelector.matchLabels").String("deployment"));
        Assert.False(from.Has("namespaceSelector"), "another namespace's pods must not reach the forwarding ports");
        // No other rule opens the forwarding ports.
        Assert.All(policy.Maps("ingress").Where(rule => rule != forwarding), rule =>
            Assert.Empty(Ports(rule).Intersect([Port("portal"), Port("backend")])));

        static int[] Ports(YamlMap rule) => rule.Maps("ports").Select(p => int.Parse(p.String("port"))).ToArray();
    }

    [Fact]
    public void PodDisruptionBudget_KeepsOneSidecarUp_AndSelectsItsPods()
    {
        var budget = Object("PodDisruptionBudget").Path("spec");
        var replicas = YamlFile.LoadSingle(RepositoryFiles.OperatorVariant).Maps("parameters")
            .Single(p => p.String("name") == "SIDECAR_REPLICAS").String("value");

        Assert.Equal("1", budget.String("minAvailable"));
        Assert.True(int.Parse(replicas) > 1, "with one replica the budget would block every drain");
        Assert.All(budget.Path("selector.matchLabels").Entries, label => Assert.Equal(label.Value, PodLabels[label.Key]));
    }

    [Fact]
    public void Replicas_SpreadOverNodesAndZones()
    {
        var constraints = Object("Deployment").Path("spec.template.spec").Maps("topologySpreadConstraints");

        Assert.Equal(["kubernetes.io/hostname", "topology.kubernetes.io/zone"], constraints.Select(c => c.String("topologyKey")));
        Assert.All(constraints, c =>
        {
            Assert.Equal("ScheduleAnyway", c.String("whenUnsatisfiable"));
            Assert.All(c.Path("labelSelector.matchLabels").Entries, label => Assert.Equal(label.Value, PodLabels[label.Key]));
        });
    }

    [Fact]
    public void ApicastResource_TakesThePortalFromItsSecret_AndTheBackendFromACustomEnvironment()
    {
        var apicast = Object("APIcast").Path("spec");
        var environment = Object("Secret");

        Assert.Equal("${ADMIN_PORTAL_CREDENTIALS_SECRET}", apicast.Path("adminPortalCredentialsRef").String("name"));
        var reference = Assert.Single(apicast.Maps("customEnvironments"));
        Assert.Equal(environment.Map("metadata").String("name"), reference.Path("secretRef").String("name"));

        // APIcast's start command exports the `env` table of an environment file before OpenResty starts.
        var lua = Assert.Single(environment.Map("stringData").Entries).Value as string;
        var overrideUrl = BackendOverride().Match(lua!).Groups["url"].Value;
        Assert.Equal($"http://${{APICAST_NAME}}-sidecar-proxy:{Port("backend")}", overrideUrl);
    }

    [Fact]
    public void AdminPortalSecret_ItsDocumentedUrl_IsTheSidecarsServiceWithAToken()
    {
        // The operator refuses an AdminPortalURL without a token; APIcast sends it, the sidecar forwards it.
        var documented = AdminPortalUrl().Matches(Text).Select(m => m.Groups["url"].Value).ToList();

        Assert.NotEmpty(documented);
        Assert.All(documented, url => Assert.Matches($@"^http://TOKEN@[A-Za-z_${{}}-]+-sidecar-proxy:{Port("portal")}$", url));
    }

    [GeneratedRegex(@"BACKEND_ENDPOINT_OVERRIDE = '(?<url>[^']+)'")]
    private static partial Regex BackendOverride();

    [GeneratedRegex(@"AdminPortalURL=(?<url>http://\S+)")]
    private static partial Regex AdminPortalUrl();
}
