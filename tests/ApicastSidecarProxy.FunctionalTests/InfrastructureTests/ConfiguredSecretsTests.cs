using ApicastSidecarProxy.FunctionalTests.Infrastructure;

namespace ApicastSidecarProxy.FunctionalTests.InfrastructureTests;

public class ConfiguredSecretsTests
{
    [Fact]
    public void ProxyPasswordsAndAccessTokens_AreFound_NotProxyUserNames()
    {
        var secrets = ConfiguredSecrets.In(new Dictionary<string, string>
        {
            ["https_proxy"] = "http://bob:p%40ss%25w0rd@127.0.0.1:3128",
            ["THREESCALE_PORTAL_ENDPOINT"] = "https://access-t0ken@tenant-admin.3scale.net",
            ["PROXY_PASSWORD"] = "var-passw0rd",
            ["LISTEN_ADDRESS"] = "127.0.0.1",
        });

        Assert.Contains("p@ss%w0rd", secrets);
        Assert.Contains("p%40ss%25w0rd", secrets);
        Assert.Contains("access-t0ken", secrets);
        Assert.Contains("var-passw0rd", secrets);
        Assert.DoesNotContain("bob", secrets);
        Assert.DoesNotContain("127.0.0.1", secrets);
    }
}
