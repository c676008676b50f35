using System.Net;
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
    [InlineData("https://su1.3scale.net/x", "http://secure-proxy:3128/")]
    [InlineData("http://su1.3scale.net/x", "http://plain-proxy:3128/")]
    [InlineData("https://api.internal.example/", null)]
    [InlineData("https://10.1.2.3/", null)]
    [InlineData("https://localhost:8443/", "http://secure-proxy:3128/")]
    [InlineData("https://[::1]:8443/", null)]
    [InlineData("https://[fd00::5]/", null)]
    [InlineData("https://[fe80::5]/", "http://secure-proxy:3128/")]
    public void ProxyFollowsSchemeAndNoProxy(string destination, string? expected)
    {
        var proxy = new SidecarWebProxy(new EnvironmentProxySelector(Options), null);

        Assert.Equal(expected, proxy.GetProxy(new Uri(destination))?.ToString());
        Assert.Equal(expected is null, proxy.IsBypassed(new Uri(destination)));
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
