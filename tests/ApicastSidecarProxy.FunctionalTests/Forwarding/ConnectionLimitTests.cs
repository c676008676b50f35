using System.Net;
using ApicastSidecarProxy.FunctionalTests.Failures;
using ApicastSidecarProxy.FunctionalTests.Infrastructure;

namespace ApicastSidecarProxy.FunctionalTests.Forwarding;

/// <summary>
/// UPSTREAM_MAX_CONNECTIONS and UPSTREAM_CONCURRENCY_FLOOR: concurrent requests beyond the limit queue for the tunnels
/// there are instead of opening more, a request that waits longer than UPSTREAM_TIMEOUT gets the usual 504, and a slow
/// upstream gets more requests in flight than the floor.
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
        environment["UPSTREAM_TIMEOUT"] = "3";
        environment["CONNECT_TIMEOUT"] = "3";
        await using var sidecar = await SidecarProcess.StartAsync(environment); // probing is off in tests: no probe queues
        using var client = TestHttpClients.Direct();
        using (var warmUp = await client.GetAsync(new Uri(sidecar.BackendUri, "/slow?ms=0")))
        {
            Assert.Equal(HttpStatusCode.OK, warmUp.StatusCode); // the one tunnel is open: the slow ones measure only waiting
        }

        // Four at once, 2 s each upstream, one at a time: the last two cannot have their turn before 4 s, past the 3 s
        // they may wait, however fast or slow the machine is. The first is answered.
        var responses = await Task.WhenAll(Enumerable.Range(0, 4).Select(i =>
            client.GetAsync(new Uri(sidecar.BackendUri, $"/slow?ms=2000&i={i}"))));
        try
        {
            Assert.Contains(responses, r => r.StatusCode == HttpStatusCode.OK);
            var late = await Task.WhenAll(responses.Where(r => r.StatusCode != HttpStatusCode.OK).Select(SidecarErrorAnswer.ReadAsync));
            Assert.NotEmpty(late);
            Assert.All(late, answer => answer.AssertIs(HttpStatusCode.GatewayTimeout, "upstream_timeout", "upstream"));
            Assert.Contains(late, answer => answer.Message.StartsWith("no turn to the upstream came within UPSTREAM_TIMEOUT", StringComparison.Ordinal));
        }
        finally
        {
            foreach (var response in responses)
            {
                response.Dispose();
            }
        }
    }

    [Fact]
    public async Task ASlowUpstream_RaisesTheConcurrencyLimit_AboveItsFloor()
    {
        var environment = chain.SidecarEnvironment(chain.Tinyproxy);
        environment["UPSTREAM_CONCURRENCY_FLOOR"] = "2";
        await using var sidecar = await SidecarProcess.StartAsync(environment);
        using var client = TestHttpClients.Direct();
        using var enough = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        // Eight clients at a time to an upstream that takes 200 ms whatever the load: two in flight wait for nothing
        // but the upstream, so more in flight bring more answers, and the limit must grow.
        double limit = 2;
        var answered = 0;
        while (limit <= 2 && !enough.IsCancellationRequested)
        {
            var batch = await Task.WhenAll(Enumerable.Range(0, 8).Select(async i =>
            {
                using var response = await client.GetAsync(new Uri(sidecar.BackendUri, $"/slow?ms=200&i={i}"), enough.Token);
                return response.StatusCode;
            }));
            Assert.All(batch, status => Assert.Equal(HttpStatusCode.OK, status));
            answered += batch.Length;
            limit = await SidecarMetricsReader.ValueAsync(sidecar, "apicast_sidecar_upstream_concurrency_limit", "route=\"backend\"");
        }

        Assert.True(limit > 2, $"the backend route's limit is still {limit} after {answered} answers");
        Assert.Equal(0, await SidecarMetricsReader.ValueAsync(sidecar, "apicast_sidecar_upstream_waiting", "route=\"backend\""));
    }
}
