using System.Net;
using ApicastSidecarProxy.FunctionalTests.Infrastructure;

namespace ApicastSidecarProxy.FunctionalTests.Forwarding;

/// <summary>Every way of giving proxy credentials reaches squid's real Basic helper intact.</summary>
[Collection(ProxyChainCollection.Name)]
public class ProxyCredentialTests(ProxyChainFixture chain)
{
    [Fact]
    public async Task PercentEncodedPasswordInTheUrl_IsDecoded()
    {
        var environment = chain.SidecarEnvironment(chain.Squid);
        Assert.Contains("%40", environment["https_proxy"]); // '@' and '%' travel encoded
        Assert.Contains("%25", environment["https_proxy"]);

        await AssertPortalCheckPassesAsync(environment);
    }

    [Fact]
    public async Task UserAndPasswordFile_AsAMountedSecretWouldGiveThem()
    {
        var passwordFile = Path.Combine(chain.Squid.WorkDirectory, "mounted-password");
        await File.WriteAllTextAsync(passwordFile, ProxyChainFixture.SquidPassword + "\n");
        var environment = chain.SidecarEnvironment(chain.Squid);
        environment["https_proxy"] = chain.Squid.ProxyUri.ToString();
        environment["PROXY_USERNAME"] = ProxyChainFixture.SquidUser;
        environment["PROXY_PASSWORD_FILE"] = passwordFile;

        await AssertPortalCheckPassesAsync(environment);
    }

    [Fact]
    public async Task UppercaseProxyVariable_IsUsedWhenAlone()
    {
        var environment = chain.SidecarEnvironment(chain.Squid);
        environment["HTTPS_PROXY"] = environment["https_proxy"];
        environment.Remove("https_proxy");

        await AssertPortalCheckPassesAsync(environment);
    }

    private static async Task AssertPortalCheckPassesAsync(Dictionary<string, string> environment)
    {
        await using var sidecar = await SidecarProcess.StartAsync(environment);
        using var client = TestHttpClients.Direct();

        using var response = await client.GetAsync(new Uri(sidecar.PortalUri, "/admin/api/accounts.xml"));

        Assert.True(response.StatusCode == HttpStatusCode.Forbidden, await response.Content.ReadAsStringAsync());
        Assert.Contains("Access denied", await response.Content.ReadAsStringAsync());
    }
}
