using ApicastSidecarProxy.Configuration;
using ApicastSidecarProxy.DeploymentTests.Infrastructure;

namespace ApicastSidecarProxy.DeploymentTests.Manifests;

/// <summary>
/// APIcast, in the same pod, reaches the sidecar's two routes on 127.0.0.1, with the access token from a Secret (in
/// APIcast's portal URL, or in the sidecar's).
/// </summary>
public class ApicastWiringTests
{
    [Theory]
    [MemberData(nameof(PodSpec.Sources), MemberType = typeof(PodSpec))]
    public void PortalEndpoint_IsTheSidecarsPortalPortOnLoopback_WithTheTokenAsUserinfo(string source)
    {
        var pod = PodSpec.Load(source);
        var endpoint = pod.Apicast.EnvValue("THREESCALE_PORTAL_ENDPOINT");
        Assert.NotNull(endpoint);

        var uri = new Uri(endpoint);
        Assert.Equal("http", uri.Scheme);
        Assert.Equal("127.0.0.1", uri.Host);
        Assert.Equal(SidecarWiringTests.SidecarPort(pod.Sidecar, SettingNames.PortalListenPort, SettingNames.DefaultPortalListenPort), uri.Port);

        // http://127.0.0.1:port without a token (the OpenShift Template): the sidecar's own portal URL, from a Secret,
        // carries it, and the sidecar sends it when APIcast sends none.
        if (uri.UserInfo.Length == 0)
        {
            Assert.NotNull(pod.Sidecar.EnvEntry(SettingNames.PortalEndpoint)?.OptionalMap("valueFrom")?.OptionalMap("secretKeyRef"));
            return;
        }

        // http://$(VAR)@127.0.0.1:port: the kubelet substitutes VAR, which must come from a Secret and be defined first.
        var match = System.Text.RegularExpressions.Regex.Match(uri.UserInfo, @"^\$\(([A-Za-z_][A-Za-z0-9_]*)\)$");
        Assert.True(match.Success, $"{source}: the userinfo '{uri.UserInfo}' is not $(VARIABLE)");
        var tokenVariable = match.Groups[1].Value;
        var names = pod.Apicast.EnvNames.ToList();
        Assert.True(names.IndexOf(tokenVariable) >= 0 && names.IndexOf(tokenVariable) < names.IndexOf("THREESCALE_PORTAL_ENDPOINT"),
            $"{source}: {tokenVariable} must be defined before THREESCALE_PORTAL_ENDPOINT for $() expansion");
        Assert.NotNull(pod.Apicast.EnvEntry(tokenVariable)!.OptionalMap("valueFrom")?.OptionalMap("secretKeyRef"));
    }

    [Theory]
    [MemberData(nameof(PodSpec.Sources), MemberType = typeof(PodSpec))]
    public void BackendEndpoint_IsTheSidecarsBackendPortOnLoopback(string source)
    {
        var pod = PodSpec.Load(source);
        var endpoint = pod.Apicast.EnvValue("BACKEND_ENDPOINT_OVERRIDE");
        Assert.NotNull(endpoint);

        var uri = new Uri(endpoint);
        Assert.Equal("http", uri.Scheme);
        Assert.Equal("127.0.0.1", uri.Host);
        Assert.Equal(SidecarWiringTests.SidecarPort(pod.Sidecar, SettingNames.BackendListenPort, SettingNames.DefaultBackendListenPort), uri.Port);
        Assert.Equal("", uri.UserInfo);
    }

    [Theory]
    [MemberData(nameof(PodSpec.Sources), MemberType = typeof(PodSpec))]
    public void Apicast_IsNotGivenAProxy_OnlyTheSidecarCrossesIt(string source)
    {
        var apicast = PodSpec.Load(source).Apicast;
        var proxyVariables = SettingNames.HttpsProxy.Concat(SettingNames.HttpProxy).Concat(SettingNames.AllProxy);

        Assert.Empty(apicast.EnvNames.Intersect(proxyVariables));
    }
}
