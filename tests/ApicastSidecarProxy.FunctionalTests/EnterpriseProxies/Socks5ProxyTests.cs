using System.Net;
using ApicastSidecarProxy.FunctionalTests.Infrastructure;

namespace ApicastSidecarProxy.FunctionalTests.EnterpriseProxies;

/// <summary>A SOCKS5 proxy with user name and password (microsocks), carrying both routes.</summary>
[Collection(EnterpriseProxyCollection.Name)]
public class Socks5ProxyTests(ProxyChainFixture chain)
{
    private const string User = "sock-user";
    private const string Password = "s0cks-Passw0rd";

    [Fact]
    public async Task BothRoutes_PassThroughSocks5_WithUserAndPasswordInTheUrl()
    {
        await using var socks = await MicrosocksProcess.StartAsync(User, Password);
        var environment = chain.SidecarEnvironment(chain.Tinyproxy);
        environment["https_proxy"] = socks.ProxyUrl(User, Password);
        await using var sidecar = await SidecarProcess.StartAsync(environment);

        await ReadmeCheck.AssertBothRoutesPassAsync(sidecar);
    }

    [Fact]
    public async Task BothRoutes_PassThroughSocks5_WithProxyUsernameAndPassword()
    {
        await using var socks = await MicrosocksProcess.StartAsync(User, Password);
        var environment = chain.SidecarEnvironment(chain.Tinyproxy);
        environment["https_proxy"] = $"socks5://127.0.0.1:{socks.Port}";
        environment["PROXY_USERNAME"] = User;
        environment["PROXY_PASSWORD"] = Password;
        await using var sidecar = await SidecarProcess.StartAsync(environment);

        await ReadmeCheck.AssertBothRoutesPassAsync(sidecar);
    }

    [Fact]
    public async Task ForwardTunnel_PassesThroughSocks5()
    {
        await using var socks = await MicrosocksProcess.StartAsync(User, Password);
        var environment = chain.SidecarEnvironment(chain.Tinyproxy);
        environment["https_proxy"] = socks.ProxyUrl(User, Password);
        await using var sidecar = await SidecarProcess.StartAsync(ForwardProxy.ForwardProxyClients.WithForwardListener(environment, chain));

        await ForwardProxy.ForwardProxyClients.AssertTunnelToTheUpstreamAsync(sidecar, chain);
        await ForwardProxy.ForwardProxyClients.AssertTunnelToTheUpstreamAsync(sidecar, chain);
    }

    [Fact]
    public async Task ForwardTunnel_WrongPassword_IsProxyAuthFailed()
    {
        await using var socks = await MicrosocksProcess.StartAsync(User, Password);
        var environment = chain.SidecarEnvironment(chain.Tinyproxy);
        environment["https_proxy"] = socks.ProxyUrl(User, "wr0ng-socks-fwd");
        await using var sidecar = await SidecarProcess.StartAsync(ForwardProxy.ForwardProxyClients.WithForwardListener(environment, chain));

        var answer = await RawHttp.ExchangeAsync(sidecar.Route("forward"), $"CONNECT {chain.Upstream.HostPort} HTTP/1.1\r\n\r\n");

        Assert.Equal(502, RawHttp.StatusOf(answer));
        Assert.Contains("X-Sidecar-Error: proxy_auth_failed", answer);
        Assert.Contains("SOCKS proxy", answer);
        Assert.DoesNotContain("wr0ng-socks-fwd", answer);
    }

    [Fact]
    public async Task WrongPassword_IsProxyAuthFailed()
    {
        await using var socks = await MicrosocksProcess.StartAsync(User, Password);
        var environment = chain.SidecarEnvironment(chain.Tinyproxy);
        environment["https_proxy"] = socks.ProxyUrl(User, "wr0ng-socks-pw");

        var (answer, output) = await ReadmeCheck.FailingPortalCheckAsync(environment);

        Assert.True(answer is { Status: HttpStatusCode.BadGateway, Hop: "proxy", Code: "proxy_auth_failed" }, answer.Body);
        Assert.Contains("SOCKS proxy", answer.Message);
        Assert.DoesNotContain("wr0ng-socks-pw", output);
    }
}
