using ApicastSidecarProxy.DeploymentTests.Infrastructure;

namespace ApicastSidecarProxy.DeploymentTests.Manifests;

/// <summary>The Kubernetes NetworkPolicy example: the gateway pods may reach the proxy, DNS and the KDC, nothing else.</summary>
public class NetworkPolicyExampleTests
{
    private static readonly YamlMap Policy = YamlFile.LoadSingle(RepositoryFiles.NetworkPolicyExample).Path("spec");

    [Fact]
    public void SelectsTheGatewayPods_AndRestrictsOnlyEgress()
    {
        var podLabels = YamlFile.LoadSingle(RepositoryFiles.KubernetesDeployment).Path("spec.template.metadata.labels").Entries;

        Assert.All(Policy.Path("podSelector.matchLabels").Entries, label => Assert.Equal(label.Value, podLabels[label.Key]));
        Assert.Equal(["Egress"], Policy.Strings("policyTypes"));
    }

    [Fact]
    public void AllowsTheProxy_DnsOverUdpAndTcp_AndTheKdcOverTcp_Only()
    {
        var rules = Policy.Maps("egress").Select(rule => rule.Maps("ports").Select(p => $"{p.String("protocol")}/{p.String("port")}").ToArray()).ToList();

        Assert.Equal(3, rules.Count);
        Assert.Equal(["TCP/3128"], rules[0]);
        Assert.Superset(new HashSet<string> { "UDP/53", "TCP/53" }, rules[1].ToHashSet());
        Assert.Equal(["TCP/88"], rules[2]);
        // Every rule names its destination: none opens egress to everywhere.
        Assert.All(Policy.Maps("egress"), rule => Assert.NotEmpty(rule.Maps("to")));
    }

    [Fact]
    public void IsNotAppliedByTheBase_SinceItsAddressesArePlaceholders()
    {
        var resources = YamlFile.LoadSingle(RepositoryFiles.Kustomization).Strings("resources");

        Assert.DoesNotContain("networkpolicy.example.yaml", resources);
        Assert.Contains("# EDIT", File.ReadAllText(RepositoryFiles.NetworkPolicyExample));
    }
}
