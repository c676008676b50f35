using System.Net;
using ApicastSidecarProxy.FunctionalTests.Infrastructure;

namespace ApicastSidecarProxy.FunctionalTests.Management;

/// <summary>SIGTERM drains: readiness fails first, in-flight requests finish, the process exits 0.</summary>
[Collection(ProxyChainCollection.Name)]
public class DrainTests(ProxyChainFixture chain)
{
    [Fact]
    public async Task Sigterm_DuringASlowRequest_LetsItComplete_AndExitsZero()
    {
        await using var sidecar = await SidecarProcess.StartAsync(chain.SidecarEnvironment(chain.Tinyproxy));
        using var client = TestHttpClients.Direct();
        var path = $"/slow?ms=2000&drain={Guid.NewGuid():N}";

        var slow = client.GetAsync(new Uri(sidecar.BackendUri, path));
        await Eventually.ReturnsAsync(() => Task.FromResult(chain.Upstream.Requests.Any(r => r.PathAndQuery == path)),
            arrived => arrived, TimeSpan.FromSeconds(15), "the slow request reaching the upstream");
        var exit = sidecar.TerminateAsync();
        using var response = await slow;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("slow", await response.Content.ReadAsStringAsync());
        Assert.Equal(0, await exit);
    }

    [Fact]
    public async Task DrainDelay_KeepsServing_WhileReadinessAlreadyFails()
    {
        var environment = chain.SidecarEnvironment(chain.Tinyproxy);
        environment["DRAIN_DELAY"] = "10";
        await using var sidecar = await SidecarProcess.StartAsync(environment);
        using var client = TestHttpClients.Direct();
        var readyz = new Uri(sidecar.ManagementUri, "/readyz");
        Assert.Equal(HttpStatusCode.OK, (await ReadinessTests.GetAsync(client, readyz)).Status);

        var exit = sidecar.TerminateAsync();
        await sidecar.WaitForLineAsync(line => line.Contains("draining"));
        var draining = await ReadinessTests.GetAsync(client, readyz);
        using var stillServed = await client.GetAsync(new Uri(sidecar.BackendUri, "/transactions/authorize.xml"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, draining.Status);
        Assert.Equal("draining", draining.Json.GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, stillServed.StatusCode);
        Assert.Equal(0, await exit);
    }
}
