using ApicastSidecarProxy.DeploymentTests.Infrastructure;

namespace ApicastSidecarProxy.DeploymentTests.Manifests;

/// <summary>Every YAML file under deploy/ parses, and each holds the objects it is meant to.</summary>
public class ManifestKindTests
{
    /// <summary>file -> the "apiVersion kind" of each document, in order.</summary>
    private static readonly Dictionary<string, string[]> Expected = new(StringComparer.Ordinal)
    {
        ["deploy/kubernetes/deployment.yaml"] = ["apps/v1 Deployment"],
        ["deploy/kubernetes/service.yaml"] = ["v1 Service"],
        ["deploy/kubernetes/secrets.example.yaml"] = ["v1 Secret", "v1 Secret"],
        ["deploy/kubernetes/kustomization.yaml"] = ["kustomize.config.k8s.io/v1beta1 Kustomization"],
        ["deploy/kubernetes/networkpolicy.example.yaml"] = ["networking.k8s.io/v1 NetworkPolicy"],
        ["deploy/openshift/template.yaml"] = ["template.openshift.io/v1 Template"],
        ["deploy/openshift/operator-variant.yaml"] = ["template.openshift.io/v1 Template"],
        ["deploy/monitoring/prometheusrule.yaml"] = ["monitoring.coreos.com/v1 PrometheusRule"],
        ["deploy/monitoring/servicemonitor.yaml"] = ["monitoring.coreos.com/v1 ServiceMonitor"],
        ["deploy/monitoring/kustomization.yaml"] = ["kustomize.config.k8s.io/v1beta1 Kustomization"],
    };

    /// <summary>Prometheus's own files, no Kubernetes objects: promtool checks them (Monitoring/AlertRulesTests).</summary>
    private static readonly string[] PromtoolFiles = ["deploy/monitoring/alerts.rules.yaml", "deploy/monitoring/alerts.test.yaml"];

    public static TheoryData<string> YamlFiles => new(RepositoryFiles.AllYaml().Except(PromtoolFiles));

    [Fact]
    public void EveryYamlFileUnderDeploy_IsKnownToTheseTests()
    {
        Assert.Equal(Expected.Keys.Concat(PromtoolFiles).Order(StringComparer.Ordinal), RepositoryFiles.AllYaml());
    }

    [Theory]
    [MemberData(nameof(YamlFiles))]
    public void YamlFile_ParsesAsTheExpectedKinds(string file)
    {
        var documents = YamlFile.LoadDocuments(RepositoryFiles.Absolute(file));

        var kinds = documents.Select(d => $"{d.String("apiVersion")} {d.String("kind")}").ToArray();
        Assert.Equal(Expected[file], kinds);
    }

    [Fact]
    public void OpenShiftTemplate_ProducesDeploymentServiceAndRoute_AndNoSecret()
    {
        var objects = YamlFile.LoadSingle(RepositoryFiles.OpenShiftTemplate).Maps("objects");

        Assert.Equal(
            ["apps/v1 Deployment", "v1 Service", "route.openshift.io/v1 Route"],
            objects.Select(o => $"{o.String("apiVersion")} {o.String("kind")}"));
        Assert.All(objects, o => Assert.False(string.IsNullOrEmpty(o.Map("metadata").String("name")), o.Describe()));
    }

    [Fact]
    public void OperatorVariant_ProducesTheSidecarsObjects_AndTheApicastCustomResource()
    {
        var objects = YamlFile.LoadSingle(RepositoryFiles.OperatorVariant).Maps("objects");

        Assert.Equal(
            ["apps/v1 Deployment", "v1 Service", "networking.k8s.io/v1 NetworkPolicy", "policy/v1 PodDisruptionBudget",
             "v1 Secret", "apps.3scale.net/v1alpha1 APIcast"],
            objects.Select(o => $"{o.String("apiVersion")} {o.String("kind")}"));
    }

    [Fact]
    public void OpenShiftTemplate_ServiceIsTheKubernetesService()
    {
        var fromTemplate = YamlFile.LoadSingle(RepositoryFiles.OpenShiftTemplate).Maps("objects").Single(o => o.String("kind") == "Service");
        var fromKubernetes = YamlFile.LoadSingle(RepositoryFiles.KubernetesService);

        Assert.Equal(Ports(fromKubernetes), Ports(fromTemplate));
        // The template adds app.kubernetes.io/instance, so two gateways' Services select only their own pods.
        Assert.Subset(fromTemplate.Path("spec.selector").Entries.ToHashSet(), fromKubernetes.Path("spec.selector").Entries.ToHashSet());

        static string[] Ports(YamlMap service) =>
            service.Path("spec").Maps("ports").Select(p => $"{p.String("name")} {p.String("port")}->{p.String("targetPort")}").ToArray();
    }

    [Fact]
    public void SecretsExample_HoldsTheKeysTheDeploymentReads()
    {
        var secrets = YamlFile.LoadDocuments(RepositoryFiles.KubernetesSecretsExample)
            .ToDictionary(s => s.Map("metadata").String("name"), s => s.Map("stringData").Entries.Keys.ToHashSet());
        var pod = PodSpec.Load("kubernetes");

        var references = pod.Containers
            .SelectMany(c => c.Env)
            .Select(e => e.OptionalMap("valueFrom")?.OptionalMap("secretKeyRef"))
            .OfType<YamlMap>()
            .Select(r => (Secret: r.String("name"), Key: r.String("key")))
            .Concat(pod.Spec.Maps("volumes")
                .Where(v => v.Has("secret"))
                .SelectMany(v => v.Map("secret").Maps("items").Select(i => (Secret: v.Map("secret").String("secretName"), Key: i.String("key")))))
            .ToList();

        Assert.NotEmpty(references);
        Assert.All(references, r => Assert.True(
            secrets.TryGetValue(r.Secret, out var keys) && keys.Contains(r.Key),
            $"secrets.example.yaml lacks {r.Secret}/{r.Key}"));
    }
}
