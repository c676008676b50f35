using System.Net;
using ApicastSidecarProxy.Configuration;

namespace ApicastSidecarProxy.Tests.Configuration;

public class ForwardProxyOptionsReaderTests
{
    [Fact]
    public void WithoutAPort_TheListenerIsOff()
    {
        Assert.Null(TestSettings.Read().ForwardProxy);
    }

    [Fact]
    public void Defaults_LoopbackOnly_EvenWhenTheRoutesListenEverywhere()
    {
        var options = TestSettings.Read((SettingNames.ForwardProxyPort, "3128"), (SettingNames.ForwardProxyAllow, "idp.example"),
            (SettingNames.ListenAddress, "0.0.0.0")).ForwardProxy!;

        Assert.Equal(3128, options.Port);
        Assert.Equal(IPAddress.Loopback, options.Address);
        Assert.Equal(128, options.MaxTunnels);
        Assert.True(options.Allow.Allows("idp.example", 443, tunnel: true));
    }

    [Fact]
    public void Address_CanBeOpenedOnPurpose()
    {
        var options = TestSettings.Read((SettingNames.ForwardProxyPort, "3128"), (SettingNames.ForwardProxyAllow, "idp.example"),
            (SettingNames.ForwardProxyAddress, "*"), (SettingNames.ForwardProxyMaxTunnels, "16")).ForwardProxy!;

        Assert.Null(options.Address);
        Assert.Equal(16, options.MaxTunnels);
    }

    [Fact]
    public void PortWithoutAllowList_StopsStartUp()
    {
        var error = Assert.Throws<ConfigurationException>(() => TestSettings.Read((SettingNames.ForwardProxyPort, "3128")));

        Assert.Equal(SettingNames.ForwardProxyAllow, error.Variable);
        Assert.Contains("is required with FORWARD_PROXY_PORT", error.Message);
    }

    [Fact]
    public void AllowListWithoutPort_StopsStartUp()
    {
        var error = Assert.Throws<ConfigurationException>(() => TestSettings.Read((SettingNames.ForwardProxyAllow, "idp.example")));

        Assert.Equal("FORWARD_PROXY_ALLOW: is set, but FORWARD_PROXY_PORT is not: the forward-proxy listener is off", error.Message);
    }

    [Fact]
    public void PortOfAnotherListener_IsRefused()
    {
        var error = Assert.Throws<ConfigurationException>(() => TestSettings.Read((SettingNames.ForwardProxyPort, "9092"),
            (SettingNames.ForwardProxyAllow, "idp.example")));

        Assert.Equal("FORWARD_PROXY_PORT: port 9092 is already used by MANAGEMENT_PORT", error.Message);
    }
}
