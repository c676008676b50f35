using ApicastSidecarProxy.Configuration;

namespace ApicastSidecarProxy.Tests.Configuration;

/// <summary>PROXY_PAC, PROXY_PAC_REFRESH, PROXY_FAILOVER and PROXY_RETRY_AFTER.</summary>
public class ProxyListSettingsTests
{
    [Fact]
    public void Defaults_RetryAfter30s_NoPac_NoFailover()
    {
        var proxy = TestSettings.Read(("https_proxy", "http://p:3128")).Proxy;

        Assert.Equal(TimeSpan.FromSeconds(30), proxy.RetryAfter);
        Assert.Null(proxy.Pac);
        Assert.Empty(proxy.Failover);
    }

    [Fact]
    public void Failover_IsParsedLikeHttpsProxy_InOrder_WithTheGeneralCredentials()
    {
        var proxy = TestSettings.Read(("https_proxy", "http://a:3128"), (SettingNames.ProxyFailover, " b:3128 , socks5://c , https://d:8443"),
            (SettingNames.ProxyUsername, "bob"), (SettingNames.ProxyPassword, "pw"), (SettingNames.ProxyRetryAfter, "5")).Proxy;

        Assert.Equal(["http://b:3128/", "socks5://c:1080/", "https://d:8443/"], proxy.Failover.Select(p => p.Uri.ToString()));
        Assert.All(proxy.Failover, p => Assert.Equal("bob", p.Credentials!.UserName));
        Assert.Equal(TimeSpan.FromSeconds(5), proxy.RetryAfter);
        Assert.Equal(4, proxy.Endpoints.Count());
    }

    [Fact]
    public void Pac_TakesItsLocationRefreshAndTheGeneralCredentials()
    {
        var proxy = TestSettings.Read((SettingNames.ProxyPac, "https://wpad.corp/proxy.pac"), (SettingNames.ProxyPacRefresh, "60"),
            (SettingNames.ProxyUsername, "CORP\\bob"), (SettingNames.ProxyPassword, "pw")).Proxy;

        Assert.Equal("https://wpad.corp/proxy.pac", proxy.Pac!.Location);
        Assert.Equal(TimeSpan.FromSeconds(60), proxy.Pac.Refresh);
        Assert.Equal(("CORP", "bob"), (proxy.Pac.Credentials!.Domain, proxy.Pac.Credentials.UserName));
        Assert.Null(proxy.Https);
    }

    [Fact]
    public void PacRefresh_DefaultsTo5Minutes()
    {
        Assert.Equal(TimeSpan.FromMinutes(5), TestSettings.Read((SettingNames.ProxyPac, "/etc/proxy.pac")).Proxy.Pac!.Refresh);
    }

    [Theory]
    [InlineData("https_proxy")]
    [InlineData("HTTP_PROXY")]
    [InlineData("all_proxy")]
    public void Pac_WithAProxyVariable_IsAnError_NamingBoth(string variable)
    {
        var error = Assert.Throws<ConfigurationException>(() =>
            TestSettings.Read((SettingNames.ProxyPac, "/etc/proxy.pac"), (variable, "http://p:3128")));

        Assert.Equal(SettingNames.ProxyPac, error.Variable);
        Assert.Contains(variable, error.Message);
    }

    [Fact]
    public void Failover_WithPac_IsAnError()
    {
        var error = Assert.Throws<ConfigurationException>(() =>
            TestSettings.Read((SettingNames.ProxyPac, "/etc/proxy.pac"), (SettingNames.ProxyFailover, "http://b:3128")));

        Assert.Equal(SettingNames.ProxyFailover, error.Variable);
    }

    [Fact]
    public void Failover_WithoutAFirstProxy_IsAnError()
    {
        var error = Assert.Throws<ConfigurationException>(() => TestSettings.Read((SettingNames.ProxyFailover, "http://b:3128")));

        Assert.Equal(SettingNames.ProxyFailover, error.Variable);
        Assert.Contains("https_proxy", error.Message);
    }

    [Theory]
    [InlineData(SettingNames.ProxyFailover, "ftp://b:21")]
    [InlineData(SettingNames.ProxyFailover, " , ")]
    [InlineData(SettingNames.ProxyRetryAfter, "soon")]
    [InlineData(SettingNames.ProxyRetryAfter, "-1")]
    public void BadValues_StopStartUp_NamingTheVariable(string variable, string value)
    {
        var error = Assert.Throws<ConfigurationException>(() => TestSettings.Read(("https_proxy", "http://a:3128"), (variable, value)));

        Assert.Equal(variable, error.Variable);
    }
}
