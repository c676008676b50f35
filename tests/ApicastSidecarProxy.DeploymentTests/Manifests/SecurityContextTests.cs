using System.Globalization;
using ApicastSidecarProxy.DeploymentTests.Infrastructure;

namespace ApicastSidecarProxy.DeploymentTests.Manifests;

/// <summary>Both containers run unprivileged; the sidecar also on a read-only root filesystem.</summary>
public class SecurityContextTests
{
    [Theory]
    [MemberData(nameof(PodSpec.Sources), MemberType = typeof(PodSpec))]
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
    [MemberData(nameof(PodSpec.Sources), MemberType = typeof(PodSpec))]
    public void Sidecar_HasAReadOnlyRootFilesystem_WithOnlyTmpAndTheSecretMounted(string source)
    {
        var sidecar = PodSpec.Load(source).Sidecar;

        Assert.Equal("true", sidecar.Yaml.Map("securityContext").String("readOnlyRootFilesystem"));
        Assert.Equal(["/tmp", "/var/run/secrets/apicast-sidecar-proxy"], sidecar.VolumeMounts.Select(m => m.String("mountPath")).Order());
    }

    [Theory]
    [MemberData(nameof(PodSpec.Sources), MemberType = typeof(PodSpec))]
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
