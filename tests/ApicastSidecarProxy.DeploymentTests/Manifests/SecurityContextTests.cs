using System.Globalization;
using ApicastSidecarProxy.DeploymentTests.Infrastructure;

namespace ApicastSidecarProxy.DeploymentTests.Manifests;

/// <summary>Both containers run unprivileged; the sidecar also on a read-only root filesystem.</summary>
public class SecurityContextTests
{
    [Theory]
    [MemberData(nameof(PodSpec.SidecarSources), MemberType = typeof(PodSpec))]
    public void EveryContainer_RunsAsNonRoot_WithoutPrivilegeEscalationOrCapabilities(string source)
    {
        var pod = PodSpec.Load(source);

        Assert.All(pod.Containers, container =>
        {
            Assert.Equal("true", container.Security("runAsNonRoot"));
            Assert.Equal("false", container.Security("allowPrivilegeEscalation"));
            Assert.Contains("ALL", container.DroppedCapabilities);
            Assert.Null(container.Security("privileged") is "true" ? "privileged" : null);
        });
        Assert.Equal("false", pod.Spec.OptionalString("automountServiceAccountToken"));
        Assert.Equal("RuntimeDefault", pod.Spec.Path("securityContext.seccompProfile").String("type"));
    }

    [Theory]
    [MemberData(nameof(PodSpec.SidecarSources), MemberType = typeof(PodSpec))]
    public void Sidecar_HasAReadOnlyRootFilesystem_AndWritesOnlyToEmptyDirs(string source)
    {
        var pod = PodSpec.Load(source);
        var sidecar = pod.Sidecar;

        Assert.Equal("true", sidecar.Yaml.Map("securityContext").String("readOnlyRootFilesystem"));
        Assert.Contains("/tmp", sidecar.VolumeMounts.Select(m => m.String("mountPath")));
        Assert.All(sidecar.VolumeMounts, mount => Assert.True(
            mount.OptionalString("readOnly") == "true" || pod.Volume(mount.String("name")).Has("emptyDir"),
            $"{source}: {mount.String("mountPath")} is writable but no emptyDir"));
    }

    [Theory]
    [MemberData(nameof(PodSpec.SidecarSources), MemberType = typeof(PodSpec))]
    public void GracePeriod_CoversTheSidecarsDrain(string source)
    {
        var pod = PodSpec.Load(source);
        // Defaults of the management listener: no drain delay, 30 s for in-flight requests.
        var drain = pod.Sidecar.EnvValue("DRAIN_DELAY") is { } d ? double.Parse(d, CultureInfo.InvariantCulture) : 0;
        var shutdown = pod.Sidecar.EnvValue("SHUTDOWN_TIMEOUT") is { } s ? double.Parse(s, CultureInfo.InvariantCulture) : 30;

        Assert.True(int.Parse(pod.Spec.String("terminationGracePeriodSeconds")) > drain + shutdown,
            $"{source}: terminationGracePeriodSeconds must exceed DRAIN_DELAY + SHUTDOWN_TIMEOUT ({drain} + {shutdown})");
    }
}
