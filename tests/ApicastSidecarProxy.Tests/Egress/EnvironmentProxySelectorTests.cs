using ApicastSidecarProxy.Configuration;
using ApicastSidecarProxy.Egress;

namespace ApicastSidecarProxy.Tests.Egress;

public class EnvironmentProxySelectorTests
{
    private static readonly ProxyOptions Options = new()
    {
        Https = new ProxyEndpoint(new Uri("http://secure-proxy:3128/"), ProxyCredentials.WithPassword("bob", null, "pw"), "https_proxy"),
        Http = new ProxyEndpoint(new Uri("http://plain-proxy:3128/"), null, "http_proxy"),
        NoProxy = NoProxyList.Parse("internal.example,10.0.0.0/8,::1,fd00::/8"),
    };

    [Theory]
    [InlineData("https://su1.3scale.net/x", "http://secure-proxy:3128")]
    [InlineData("http://su1.3scale.net/x", "http://plain-proxy:3128")]
    [InlineData("https://api.internal.example/", "DIRECT")]
    [InlineData("https://10.1.2.3/", "DIRECT")]
    [InlineData("https://localhost:8443/", "http://secure-proxy:3128")]
    [InlineData("https://[::1]:8443/", "DIRECT")]
    [InlineData("https://[fd00::5]/", "DIRECT")]
    [InlineData("https://[fe80::5]/", "http://secure-proxy:3128")]
    public void ProxyFollowsSchemeAndNoProxy(string destination, string expected)
    {
        var choices = new EnvironmentProxySelector(Options).Select(new Uri(destination));

        Assert.Equal(expected, Assert.Single(choices).ToString());
    }

    [Fact]
    public void FailoverProxies_FollowTheSchemesProxy_InOrder_EachOnce()
    {
        var options = Options with
        {
            Failover =
            [
                new ProxyEndpoint(new Uri("http://backup-1:3128/"), null, SettingNames.ProxyFailover),
                new ProxyEndpoint(new Uri("http://secure-proxy:3128/"), null, SettingNames.ProxyFailover),
                new ProxyEndpoint(new Uri("socks5://backup-2:1080/"), null, SettingNames.ProxyFailover),
            ],
        };
        var selector = new EnvironmentProxySelector(options);

        Assert.Equal(["http://secure-proxy:3128", "http://backup-1:3128", "socks5://backup-2:1080"],
            selector.Select(new Uri("https://su1.3scale.net/")).Select(c => c.ToString()));
        Assert.Equal("DIRECT", Assert.Single(selector.Select(new Uri("https://api.internal.example/"))).ToString());
    }

    [Fact]
    public void WithoutAProxyForTheScheme_TheFailoverListIsNotUsed()
    {
        var options = new ProxyOptions
        {
            Https = Options.Https,
            Failover = [new ProxyEndpoint(new Uri("http://backup-1:3128/"), null, SettingNames.ProxyFailover)],
        };

        Assert.Equal("DIRECT", Assert.Single(new EnvironmentProxySelector(options).Select(new Uri("http://plain.example/"))).ToString());
    }

    [Fact]
    public void Credentials_AreGivenOnlyToTheProxyTheyBelongTo()
    {
        var lookup = new ProxyCredentialLookup(Options);

        Assert.Equal("bob", lookup.GetCredential(new Uri("http://secure-proxy:3128/"), "Basic")?.UserName);
        Assert.Null(lookup.GetCredential(new Uri("http://plain-proxy:3128/"), "Basic"));
        Assert.Null(lookup.GetCredential(new Uri("http://elsewhere:3128/"), "NTLM"));
    }
}
