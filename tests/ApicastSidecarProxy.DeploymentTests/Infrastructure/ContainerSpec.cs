namespace ApicastSidecarProxy.DeploymentTests.Infrastructure;

/// <summary>One container of a <see cref="PodSpec"/>.</summary>
public sealed class ContainerSpec(PodSpec pod, YamlMap container)
{
    public YamlMap Yaml { get; } = container;
    public string Name => Yaml.String("name");

    public IReadOnlyList<YamlMap> Env => Yaml.OptionalMaps("env") ?? [];

    public IReadOnlyList<string> EnvNames => Env.Select(e => e.String("name")).ToList();

    /// <summary>The literal value of an env var; null when it is not set or comes from valueFrom.</summary>
    public string? EnvValue(string name) => Env.SingleOrDefault(e => e.String("name") == name)?.OptionalString("value");

    public YamlMap? EnvEntry(string name) => Env.SingleOrDefault(e => e.String("name") == name);

    public IReadOnlyList<YamlMap> Ports => Yaml.OptionalMaps("ports") ?? [];

    public int? ContainerPort(string name) =>
        Ports.SingleOrDefault(p => p.OptionalString("name") == name) is { } port ? int.Parse(port.String("containerPort")) : null;

    /// <summary>A probe's httpGet port as a number, a named port resolved through this container's ports.</summary>
    public int ProbePort(YamlMap httpGet)
    {
        var port = httpGet.String("port");
        return int.TryParse(port, out var number)
            ? number
            : ContainerPort(port) ?? throw new InvalidDataException($"{pod.Source}/{Name}: probe port '{port}' is not a declared port");
    }

    public YamlMap? Probe(string kind) => Yaml.OptionalMap(kind);

    /// <summary>A securityContext value of the container, or else of the pod.</summary>
    public string? Security(string key) => Yaml.OptionalMap("securityContext")?.OptionalString(key) ?? pod.PodSecurity(key);

    public IReadOnlyList<string> DroppedCapabilities =>
        Yaml.OptionalMap("securityContext")?.OptionalMap("capabilities") is { } capabilities && capabilities.Has("drop")
            ? capabilities.Strings("drop")
            : [];

    public IReadOnlyList<YamlMap> VolumeMounts => Yaml.OptionalMaps("volumeMounts") ?? [];
}
