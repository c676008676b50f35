using System.Net;
using ApicastSidecarProxy.FunctionalTests.Infrastructure;

namespace ApicastSidecarProxy.FunctionalTests.Forwarding;

/// <summary>One CONNECT tunnel carries many requests: the proxy's authentication round trip is paid once.</summary>
[Collection(ProxyChainCollection.Name)]
public class TunnelReuseTests(ProxyChainFixture chain)
{
    [Fact]
    public async Task SequentialRequests_ShareOneTunnel()
    {
        const int requests = 20;
        var hostPort = chain.Upstream.HostPort;
        await using var sidecar = await SidecarProcess.StartAsync(chain.SidecarEnvironment(chain.Tinyproxy));
        using var client = TestHttpClients.Direct();
        var tunnelsBefore = chain.Tinyproxy.CountAuthorizedConnects(hostPort);

        for (var i = 0; i < requests; i++)
        {
            using var response = await client.GetAsync(new Uri(sidecar.BackendUri, $"/transactions/authorize.xml?i={i}"));
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        }

        Assert.Equal(tunnelsBefore + 1, await chain.Tinyproxy.WaitForConnectsAsync(hostPort, tunnelsBefore + 1, TimeSpan.FromSeconds(10), authorizedOnly: true));
        Assert.Equal(tunnelsBefore + 1, chain.Tinyproxy.CountAuthorizedConnects(hostPort));
    }
}
