namespace ApicastSidecarProxy.DeploymentTests.Infrastructure;

/// <summary>Paths of the files under test, found from the test's build output by walking up to the solution file.</summary>
public static class RepositoryFiles
{
    public static string Root { get; } = FindRoot();

    public static string KubernetesDeployment => Path.Combine(Root, "deploy", "kubernetes", "deployment.yaml");
    public static string KubernetesService => Path.Combine(Root, "deploy", "kubernetes", "service.yaml");
    public static string KubernetesSecretsExample => Path.Combine(Root, "deploy", "kubernetes", "secrets.example.yaml");
    public static string Kustomization => Path.Combine(Root, "deploy", "kubernetes", "kustomization.yaml");
    public static string OpenShiftTemplate => Path.Combine(Root, "deploy", "openshift", "template.yaml");
    public static string OperatorVariant => Path.Combine(Root, "deploy", "openshift", "operator-variant.yaml");
    public static string NetworkPolicyExample => Path.Combine(Root, "deploy", "kubernetes", "networkpolicy.example.yaml");
    public static string SidecarProject => Path.Combine(Root, "src", "ApicastSidecarProxy", "ApicastSidecarProxy.csproj");
    public static string Dockerfile => Path.Combine(Root, "deploy", "docker", "Dockerfile");
    public static string DockerIgnore => Path.Combine(Root, "deploy", "docker", "Dockerfile.dockerignore");
    public static string SystemdUnit => Path.Combine(Root, "deploy", "systemd", "apicast-sidecar-proxy.service");
    public static string SystemdEnvironmentFile => Path.Combine(Root, "deploy", "systemd", "apicast-sidecar-proxy.env");
    public static string InstallGuide => Path.Combine(Root, "docs", "install.md");
    public static string Monitoring => Path.Combine(Root, "deploy", "monitoring");
    public static string AlertRules => Path.Combine(Monitoring, "alerts.rules.yaml");
    public static string AlertRuleTests => Path.Combine(Monitoring, "alerts.test.yaml");
    public static string PrometheusRule => Path.Combine(Monitoring, "prometheusrule.yaml");
    public static string ServiceMonitor => Path.Combine(Monitoring, "servicemonitor.yaml");
    public static string Dashboard => Path.Combine(Monitoring, "dashboard.json");

    /// <summary>Every YAML file under deploy/, relative to the repository root with forward slashes.</summary>
    public static IReadOnlyList<string> AllYaml() =>
        Directory.EnumerateFiles(Path.Combine(Root, "deploy"), "*.*", SearchOption.AllDirectories)
            .Where(path => path.EndsWith(".yaml", StringComparison.Ordinal) || path.EndsWith(".yml", StringComparison.Ordinal))
            .Select(Relative)
            .Order(StringComparer.Ordinal)
            .ToList();

    public static string Relative(string path) => Path.GetRelativePath(Root, path).Replace(Path.DirectorySeparatorChar, '/');

    public static string Absolute(string relative) => Path.Combine(Root, relative.Replace('/', Path.DirectorySeparatorChar));

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "ApicastSidecarProxy.slnx")))
            {
                return directory.FullName;
            }
        }

        throw new DirectoryNotFoundException($"no ApicastSidecarProxy.slnx above {AppContext.BaseDirectory}");
    }
}
