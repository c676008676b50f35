using ApicastSidecarProxy.Configuration;

namespace ApicastSidecarProxy.Tests.Configuration;

public class ForwardAllowListTests
{
    private static ForwardAllowList List(string value) => ForwardAllowList.Parse(SettingNames.ForwardProxyAllow, value);

    [Theory]
    [InlineData("keycloak.corp.example:8443", "keycloak.corp.example", 8443, true, true)]
    [InlineData("keycloak.corp.example:8443", "KEYCLOAK.corp.example", 8443, true, true)]
    [InlineData("keycloak.corp.example:8443", "keycloak.corp.example", 443, true, false)]
    [InlineData("keycloak.corp.example", "keycloak.corp.example", 443, true, true)]
    [InlineData("keycloak.corp.example", "keycloak.corp.example", 80, false, true)]
    [InlineData("keycloak.corp.example", "keycloak.corp.example", 80, true, false)]
    [InlineData("keycloak.corp.example", "keycloak.corp.example", 443, false, false)]
    [InlineData("keycloak.corp.example", "other.corp.example", 443, true, false)]
    [InlineData("keycloak.corp.example", "keycloak.corp.example.", 443, true, false)]
    [InlineData("*.auth0.com", "tenant.auth0.com", 443, true, true)]
    [InlineData("*.auth0.com", "a.b.auth0.com", 443, true, true)]
    [InlineData("*.auth0.com", "auth0.com", 443, true, false)]
    [InlineData("*.auth0.com", "evilauth0.com", 443, true, false)]
    [InlineData("*.auth0.com", "tenant.auth0.com.evil.org", 443, true, false)]
    [InlineData("10.0.0.5:8443", "10.0.0.5", 8443, true, true)]
    [InlineData("*.0.0.5", "10.0.0.5", 443, true, false)]
    [InlineData("keycloak.corp.example", "10.0.0.5", 443, true, false)]
    [InlineData("[::1]:8443", "::1", 8443, true, true)]
    [InlineData("[::1]:8443", "0:0:0:0:0:0:0:1", 8443, true, true)]
    [InlineData("a.example, *.b.example:9000", "x.b.example", 9000, true, true)]
    public void Matches_TheNameTheClientSent(string list, string host, int port, bool tunnel, bool allowed)
    {
        Assert.Equal(allowed, List(list).Allows(host, port, tunnel));
    }

    [Theory]
    [InlineData("")]
    [InlineData(" , ")]
    [InlineData("*")]
    [InlineData("*.")]
    [InlineData("a.*.example")]
    [InlineData("host:0")]
    [InlineData("host:65536")]
    [InlineData("host:https")]
    [InlineData("http://host")]
    [InlineData("host/path")]
    [InlineData("[::1")]
    [InlineData("[::1]x")]
    [InlineData("under_score.example")]
    public void BadEntry_NamesTheVariable(string value)
    {
        var error = Assert.Throws<ConfigurationException>(() => List(value));

        Assert.Equal(SettingNames.ForwardProxyAllow, error.Variable);
    }

    [Fact]
    public void Text_ShowsTheEntriesNormalized()
    {
        Assert.Equal("keycloak.example:8443,*.auth0.com,[::1]:443", List(" Keycloak.Example:8443 ,*.auth0.com,[::1]:443").Text);
    }
}
