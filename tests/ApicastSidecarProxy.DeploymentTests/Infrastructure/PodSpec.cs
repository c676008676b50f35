namespace ApicastSidecarProxy.DeploymentTests.Infrastructure;

/// <summary>The pod of APIcast and the sidecar, as written in one of the deployment files.</summary>
public sealed class PodSpec(string source, YamlMap spec)
{
    public const string SidecarContainerName = "apicast-sidecar-proxy";
    public const string ApicastContainerName = "apicast";

    /// <summary>The deployment files that define the pod: the Kubernetes Deployment and the OpenShift Template.</summary>
    public static TheoryData<string> Sources => new() { "kubernetes", "openshift" };

    public string Source { get; } = source;
    public YamlMap Spec { get; } = spec;

    public static PodSpec Load(string source) => source switch
    {
        "kubernetes" => new PodSpec(source, YamlFile.LoadSingle(RepositoryFiles.KubernetesDeployment).Path("spec.template.spec")),
        "openshift" => new PodSpec(source, TemplateDeployment().Path("spec.template.spec")),
        _ => throw new ArgumentOutOfRangeException(nameof(source), source, null),
    };

    public static YamlMap TemplateDeployment() =>
        YamlFile.LoadSingle(RepositoryFiles.OpenShiftTemplate).Maps("objects").Single(o => o.OptionalString("kind") == "Deployment");

    public IReadOnlyList<ContainerSpec> Containers => Spec.Maps("containers").Select(c => new ContainerSpec(this, c)).ToList();

    public ContainerSpec Sidecar => Container(SidecarContainerName);
    public ContainerSpec Apicast => Container(ApicastContainerName);

    public ContainerSpec Container(string name) => Containers.SingleOrDefault(c => c.Name == name)
        ?? throw new InvalidDataException($"{Source}: no container '{name}' (have: {string.Join(", ", Containers.Select(c => c.Name))})");

    public YamlMap Volume(string name) => Spec.Maps("volumes").SingleOrDefault(v => v.String("name") == name)
        ?? throw new InvalidDataException($"{Source}: no volume '{name}'");

    /// <summary>A security setting of a container, falling back to the pod's securityContext as Kubernetes does.</summary>
    public string? PodSecurity(string key) => Spec.OptionalMap("securityContext")?.OptionalString(key);
}
