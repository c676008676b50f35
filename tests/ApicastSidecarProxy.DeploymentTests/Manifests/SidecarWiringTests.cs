using ApicastSidecarProxy.Configuration;
using ApicastSidecarProxy.DeploymentTests.Infrastructure;
using ApicastSidecarProxy.Management;

namespace ApicastSidecarProxy.DeploymentTests.Manifests;

/// <summary>The sidecar container is configured with settings the application reads, and probed where it listens.</summary>
public class SidecarWiringTests
{
    [Theory]
    [MemberData(nameof(PodSpec.SidecarSources), MemberType = typeof(PodSpec))]
    public void EveryEnvVarOfTheSidecar_IsASettingTheApplicationReads(string source)
    {
        var sidecar = PodSpec.Load(source).Sidecar;

        Assert.NotEmpty(sidecar.EnvNames);
        Assert.All(sidecar.EnvNames, name => Assert.True(SidecarSettings.IsRead(name),
            $"{source}: env {name} is not in SettingNames: the sidecar would ignore it"));
        Assert.Equal(sidecar.EnvNames.Distinct().Count(), sidecar.EnvNames.Count);
        Assert.Null(sidecar.Yaml.OptionalMaps("envFrom"));
    }

    [Theory]
    [MemberData(nameof(PodSpec.Sources), MemberType = typeof(PodSpec))]
    public void Sidecar_ListensOnLoopbackOnly_WithTheRealEndpointsAndTheProxy(string source)
    {
        var sidecar = PodSpec.Load(source).Sidecar;

        Assert.Equal("127.0.0.1", sidecar.EnvValue(SettingNames.ListenAddress));
        Assert.NotNull(sidecar.EnvEntry(SettingNames.PortalEndpoint));
        Assert.NotNull(sidecar.EnvEntry(SettingNames.BackendEndpoint));
        Assert.NotNull(sidecar.EnvEntry(SettingNames.HttpsProxy[0]));
    }

    [Theory]
    [MemberData(nameof(PodSpec.SidecarSources), MemberType = typeof(PodSpec))]
    public void ProxyPassword_ComesFromAMountedSecretFile_NeverFromEnvOrTheProxyUrl(string source)
    {
        var pod = PodSpec.Load(source);
        var sidecar = pod.Sidecar;

        Assert.DoesNotContain(SettingNames.ProxyPassword, sidecar.EnvNames);
        if (sidecar.EnvValue(SettingNames.HttpsProxy[0]) is { } proxyUrl && !proxyUrl.StartsWith("${", StringComparison.Ordinal))
        {
            Assert.DoesNotContain("@", proxyUrl);
        }

        Assert.NotNull(sidecar.EnvEntry(SettingNames.ProxyUsername)?.OptionalMap("valueFrom")?.OptionalMap("secretKeyRef"));

        var passwordFile = sidecar.EnvValue(SettingNames.ProxyPasswordFile);
        Assert.NotNull(passwordFile);
        var mount = sidecar.VolumeMounts.Single(m => passwordFile.StartsWith(m.String("mountPath") + "/", StringComparison.Ordinal));
        Assert.Equal("true", mount.OptionalString("readOnly"));
        var secret = pod.Volume(mount.String("name")).Map("secret");
        var fileName = passwordFile[(mount.String("mountPath").Length + 1)..];
        Assert.Contains(secret.Maps("items"), item => item.String("path") == fileName);
    }

    [Theory]
    [MemberData(nameof(PodSpec.SidecarSources), MemberType = typeof(PodSpec))]
    public void SidecarPorts_AreTheApplicationsPorts(string source)
    {
        var sidecar = PodSpec.Load(source).Sidecar;

        Assert.Equal(SidecarPort(sidecar, SettingNames.PortalListenPort, SettingNames.DefaultPortalListenPort), sidecar.ContainerPort("portal"));
        Assert.Equal(SidecarPort(sidecar, SettingNames.BackendListenPort, SettingNames.DefaultBackendListenPort), sidecar.ContainerPort("backend"));
        Assert.Equal(SidecarPort(sidecar, SettingNames.ManagementPort, SettingNames.DefaultManagementPort), sidecar.ContainerPort("management"));
    }

    /// <summary>
    /// Readiness is /healthz too: a proxy or 3scale outage is shared by every replica, and taking them all out of the
    /// Service turns a degraded gateway into no gateway (the configuration cache answers meanwhile).
    /// </summary>
    [Theory]
    [MemberData(nameof(PodSpec.SidecarSources), MemberType = typeof(PodSpec))]
    public void Probes_UseTheManagementListenersPathsAndPort(string source)
    {
        var sidecar = PodSpec.Load(source).Sidecar;
        var managementPort = SidecarPort(sidecar, SettingNames.ManagementPort, SettingNames.DefaultManagementPort);

        (string Probe, string Path)[] expected =
        [
            ("startupProbe", ManagementPaths.Healthz),
            ("livenessProbe", ManagementPaths.Healthz),
            ("readinessProbe", ManagementPaths.Healthz),
        ];
        foreach (var (kind, path) in expected)
        {
            var httpGet = sidecar.Probe(kind)?.Map("httpGet");
            Assert.True(httpGet is not null, $"{source}: the sidecar has no {kind} with httpGet");
            Assert.Equal(path, httpGet.String("path"));
            Assert.Equal(managementPort, sidecar.ProbePort(httpGet));
            Assert.Null(httpGet.OptionalString("host"));
        }
    }

    [Theory]
    [MemberData(nameof(PodSpec.SidecarSources), MemberType = typeof(PodSpec))]
    public void ReadinessProbe_SaysWhyItIsNotReadyz(string source)
    {
        var file = source switch
        {
            "kubernetes" => RepositoryFiles.KubernetesDeployment,
            "openshift" => RepositoryFiles.OpenShiftTemplate,
            _ => RepositoryFiles.OperatorVariant,
        };
        var lines = File.ReadAllLines(file);
        var probe = Array.FindLastIndex(lines, line => line.Trim() == "readinessProbe:"); // the sidecar comes after APIcast
        var comment = string.Join(" ", lines[..probe].Reverse().TakeWhile(line => line.TrimStart().StartsWith('#')));

        Assert.Contains("/readyz", comment);
        Assert.Contains("every replica", comment);
    }

    [Theory]
    [MemberData(nameof(PodSpec.SidecarSources), MemberType = typeof(PodSpec))]
    public void ConfigCacheDirectory_IsAnEmptyDirMountedWhereTheSettingPoints(string source)
    {
        var pod = PodSpec.Load(source);
        var directory = pod.Sidecar.EnvValue(SettingNames.ConfigCacheDir);

        Assert.Equal("/var/cache/apicast-sidecar-proxy", directory);
        var mount = pod.Sidecar.VolumeMounts.Single(m => m.String("mountPath") == directory);
        Assert.NotEqual("true", mount.OptionalString("readOnly"));
        Assert.NotNull(pod.Volume(mount.String("name")).OptionalMap("emptyDir"));
    }

    [Theory]
    [MemberData(nameof(PodSpec.SidecarSources), MemberType = typeof(PodSpec))]
    public void Sidecar_HasMemoryRequestAndLimit(string source)
    {
        var resources = PodSpec.Load(source).Sidecar.Yaml.Map("resources");

        Assert.EndsWith("Mi", resources.Map("requests").String("memory"));
        Assert.EndsWith("Mi", resources.Map("limits").String("memory"));
        Assert.True(Mebibytes(resources.Map("requests").String("memory")) <= Mebibytes(resources.Map("limits").String("memory")));

        static int Mebibytes(string quantity) => int.Parse(quantity[..^2]);
    }

    [Fact]
    public void TemplatePod_HasTheSameSidecarWiringAsTheKubernetesPod()
    {
        var kubernetes = PodSpec.Load("kubernetes");
        var openshift = PodSpec.Load("openshift");

        Assert.Equal(kubernetes.Containers.Select(c => c.Name), openshift.Containers.Select(c => c.Name));
        // The template may add optional settings (e.g. no_proxy as a parameter), never drop one.
        Assert.Empty(kubernetes.Sidecar.EnvNames.Except(openshift.Sidecar.EnvNames));
        foreach (var container in kubernetes.Containers)
        {
            var other = openshift.Container(container.Name);
            Assert.Equal(container.Ports.Select(p => p.String("containerPort")), other.Ports.Select(p => p.String("containerPort")));
            foreach (var probe in new[] { "startupProbe", "livenessProbe", "readinessProbe" })
            {
                Assert.Equal(container.Probe(probe)?.OptionalMap("httpGet")?.OptionalString("path"),
                    other.Probe(probe)?.OptionalMap("httpGet")?.OptionalString("path"));
            }
        }
    }

    /// <summary>The port the sidecar will listen on: its env var when the manifest sets it, else the default.</summary>
    internal static int SidecarPort(ContainerSpec sidecar, string variable, int defaultPort) =>
        sidecar.EnvValue(variable) is { } value ? int.Parse(value) : defaultPort;
}
