using System.Net;
using ApicastSidecarProxy.FunctionalTests.Infrastructure;

namespace ApicastSidecarProxy.FunctionalTests.EnterpriseProxies;

/// <summary>PROXY_PASSWORD_FILE rotated as a Kubernetes Secret would be: the next new tunnel uses the new password.</summary>
[Collection(EnterpriseProxyCollection.Name)]
public class CredentialRotationTests(ProxyChainFixture chain)
{
    private const string User = "rotor";
    private const string OldPassword = "old-Passw0rd-1";
    private const string NewPassword = "new-Passw0rd-2";

    [Fact]
    public async Task RotatedPasswordFile_IsUsedForTheNextNewTunnel_WithoutRestartingTheSidecar()
    {
        await using var squid = await SquidProcess.StartAsync(User, OldPassword);
        var passwordFile = Path.Combine(squid.WorkDirectory, "mounted-password");
        await using var sidecar = await StartWarmSidecarAsync(squid, passwordFile);
        using var client = TestHttpClients.Direct();
        var check = new Uri(sidecar.BackendUri, "/transactions/authorize.xml");

        await squid.ChangePasswordAsync(NewPassword);
        await File.WriteAllTextAsync(passwordFile, NewPassword + "\n");
        await squid.RestartAsync(); // drops the pooled tunnel and squid's cache of the old credentials

        using var after = await client.GetAsync(check);
        Assert.True(after.StatusCode == HttpStatusCode.Forbidden, $"{(int)after.StatusCode} {await after.Content.ReadAsStringAsync()}");
        Assert.Contains("provider_key_or_service_token_required", await after.Content.ReadAsStringAsync());
        Assert.DoesNotContain(NewPassword, sidecar.Output);
    }

    [Fact]
    public async Task ProxyPasswordChange_WithoutRotatingTheFile_IsProxyAuthFailed_OnTheNextNewTunnel()
    {
        await using var squid = await SquidProcess.StartAsync(User, OldPassword);
        var passwordFile = Path.Combine(squid.WorkDirectory, "mounted-password");
        await using var sidecar = await StartWarmSidecarAsync(squid, passwordFile);
        using var client = TestHttpClients.Direct();
        var check = new Uri(sidecar.BackendUri, "/transactions/authorize.xml");

        await squid.ChangePasswordAsync(NewPassword);
        await squid.RestartAsync();

        using var after = await client.GetAsync(check);
        var answer = await Failures.SidecarErrorAnswer.ReadAsync(after);
        answer.AssertIs(HttpStatusCode.BadGateway, "proxy_auth_failed", "proxy");
    }

    /// <summary>A sidecar reading the squid password from a mounted-secret-like file, with one tunnel already open.</summary>
    private async Task<SidecarProcess> StartWarmSidecarAsync(SquidProcess squid, string passwordFile)
    {
        await File.WriteAllTextAsync(passwordFile, OldPassword + "\n");
        var environment = chain.SidecarEnvironment(squid);
        environment["https_proxy"] = squid.ProxyUri.ToString();
        environment["PROXY_USERNAME"] = User;
        environment["PROXY_PASSWORD_FILE"] = passwordFile;
        var sidecar = await SidecarProcess.StartAsync(environment);
        using var client = TestHttpClients.Direct();
        using var first = await client.GetAsync(new Uri(sidecar.BackendUri, "/transactions/authorize.xml"));
        Assert.Equal(HttpStatusCode.Forbidden, first.StatusCode);
        return sidecar;
    }
}
