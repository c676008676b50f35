namespace ApicastSidecarProxy.DeploymentTests.Infrastructure;

/// <summary>
/// A pod as written in one of the deployment files: APIcast and the sidecar (the Kubernetes Deployment, the OpenShift
/// Template), or the sidecar alone (the operator variant, whose APIcast Deployment the 3scale operator writes).
/// </summary>
public sealed class PodSpec(string source, YamlMap spec)
{
    public const string SidecarContainerName = "apicast-sidecar-proxy";
    public const string ApicastContainerName = "apicast";

    /// <summary>The deployment files that define the pod: the Kubernetes Deployment and the OpenShift Template.</summary>
    public static TheoryData<string> Sources => new() { "kubernetes", "openshift" };

    /// <summary>Every pod that runs the sidecar: the two above and the operator variant's.</summary>
    public static TheoryData<string> SidecarSources => new() { "kubernetes", "openshift", "operator" };

    public string Source { get; } = source;
    public YamlMap Spec { get; } = spec;

    public static PodSpec Load(string source) => source switch
    {
        "kubernetes" => new PodSpec(source, YamlFile.LoadSingle(RepositoryFiles.KubernetesDeployment).Path("spec.template.spec")),
        "openshift" => new PodSpec(source, TemplateDeployment().Path("spec.template.spec")),
        "operator" => new PodSpec(source, TemplateObject(RepositoryFiles.OperatorVariant, "Deployment").Path("spec.template.spec")),
        _ => throw new ArgumentOutOfRangeException(nameof(source), source, null),
    };

    public static YamlMap TemplateDeployment() => TemplateObject(RepositoryFiles.OpenShiftTemplate, "Deployment");

    /// <summary>The one object of <paramref name="kind"/> in an OpenShift Template.</summary>
    public static YamlMap TemplateObject(string template, string kind) =>
        YamlFile.LoadSingle(template).Maps("objects").Single(o => o.OptionalString("kind") == kind);

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
