using ApicastSidecarProxy.FunctionalTests.Infrastructure;

namespace ApicastSidecarProxy.FunctionalTests.EnterpriseProxies;

/// <summary>A SOCKS4a proxy carrying both routes: the sidecar sends the upstream's name and the proxy resolves it.</summary>
[Collection(EnterpriseProxyCollection.Name)]
public class Socks4aProxyTests(ProxyChainFixture chain)
{
    [Fact]
    public async Task BothRoutes_PassThroughSocks4a_WithTheNameResolvedByTheProxy()
    {
        await using var socks = new FakeSocks4aProxy();
        var environment = chain.SidecarEnvironment(chain.Tinyproxy);
        environment["https_proxy"] = $"socks4a://127.0.0.1:{socks.Port}";
        await using var sidecar = await SidecarProcess.StartAsync(environment);

        await ReadmeCheck.AssertBothRoutesPassAsync(sidecar);

        Assert.NotEmpty(socks.RequestedDestinations);
        Assert.All(socks.RequestedDestinations, destination => Assert.Equal(chain.Upstream.HostPort, destination));
    }

    [Fact]
    public async Task ForwardTunnel_PassesThroughSocks4a()
    {
        await using var socks = new FakeSocks4aProxy();
        var environment = chain.SidecarEnvironment(chain.Tinyproxy);
        environment["https_proxy"] = $"socks4a://127.0.0.1:{socks.Port}";
        await using var sidecar = await SidecarProcess.StartAsync(ForwardProxy.ForwardProxyClients.WithForwardListener(environment, chain));

        await ForwardProxy.ForwardProxyClients.AssertTunnelToTheUpstreamAsync(sidecar, chain);

        Assert.Equal(chain.Upstream.HostPort, Assert.Single(socks.RequestedDestinations));
    }
}
