using System.Net;
using ApicastSidecarProxy.FunctionalTests.Failures;
using ApicastSidecarProxy.FunctionalTests.Infrastructure;

namespace ApicastSidecarProxy.FunctionalTests.Forwarding;

/// <summary>
/// UPSTREAM_MAX_CONNECTIONS: concurrent requests beyond the limit queue for the tunnels there are instead of opening
/// more, and a request that waits longer than UPSTREAM_TIMEOUT gets the usual 504.
/// </summary>
[Collection(ProxyChainCollection.Name)]
public class ConnectionLimitTests(ProxyChainFixture chain)
{
    [Fact]
    public async Task ConcurrentRequests_BeyondTheLimit_WaitForTheOpenTunnel()
    {
        const int requests = 6;
        var hostPort = chain.Upstream.HostPort;
        var tunnelsBefore = chain.Tinyproxy.CountAuthorizedConnects(hostPort);
        var environment = chain.SidecarEnvironment(chain.Tinyproxy);
        environment["UPSTREAM_MAX_CONNECTIONS"] = "1";
        await using var sidecar = await SidecarProcess.StartAsync(environment);
        using var client = TestHttpClients.Direct();

        // Each answer takes 300 ms: without the limit, the six would be in flight together, on six tunnels.
        var answers = await Task.WhenAll(Enumerable.Range(0, requests).Select(async i =>
        {
            using var response = await client.GetAsync(new Uri(sidecar.BackendUri, $"/slow?ms=300&i={i}"));
            return (response.StatusCode, Body: await response.Content.ReadAsStringAsync());
        }));

        Assert.All(answers, answer => Assert.Equal((HttpStatusCode.OK, "slow"), answer));
        Assert.Equal(tunnelsBefore + 1, await chain.Tinyproxy.WaitForConnectsAsync(hostPort, tunnelsBefore + 1, TimeSpan.FromSeconds(10), authorizedOnly: true));
        Assert.Equal(tunnelsBefore + 1, chain.Tinyproxy.CountAuthorizedConnects(hostPort));
    }

    [Fact]
    public async Task WaitingLongerThanTheUpstreamTimeout_IsUpstreamTimeout()
    {
        var environment = chain.SidecarEnvironment(chain.Tinyproxy);
        environment["UPSTREAM_MAX_CONNECTIONS"] = "1";
        environment["UPSTREAM_TIMEOUT"] = "5";
        environment["CONNECT_TIMEOUT"] = "5";
        await using var sidecar = await SidecarProcess.StartAsync(environment); // probing is off in tests: no probe queues
        using var client = TestHttpClients.Direct();
        using (var warmUp = await client.GetAsync(new Uri(sidecar.BackendUri, "/slow?ms=0")))
        {
            Assert.Equal(HttpStatusCode.OK, warmUp.StatusCode); // the one tunnel is open: the slow pair measures only waiting
        }

        // Each takes 3 s upstream: the one that gets the connection answers within the 5 s; the other waits those 3 s
        // and would need 3 s more, so it times out however slow the machine is.
        var responses = await Task.WhenAll(Enumerable.Range(0, 2).Select(i =>
            client.GetAsync(new Uri(sidecar.BackendUri, $"/slow?ms=3000&i={i}"))));
        try
        {
            Assert.Single(responses, r => r.StatusCode == HttpStatusCode.OK);
            var late = Assert.Single(responses, r => r.StatusCode != HttpStatusCode.OK);
            (await SidecarErrorAnswer.ReadAsync(late)).AssertIs(HttpStatusCode.GatewayTimeout, "upstream_timeout", "upstream");
        }
        finally
        {
            foreach (var response in responses)
            {
                response.Dispose();
            }
        }
    }
}
