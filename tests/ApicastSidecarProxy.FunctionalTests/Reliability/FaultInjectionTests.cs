using System.Net;
using ApicastSidecarProxy.FunctionalTests.Failures;
using ApicastSidecarProxy.FunctionalTests.Infrastructure;

namespace ApicastSidecarProxy.FunctionalTests.Reliability;

/// <summary>Faults injected on each hop: the client always learns the truth, nothing is lost or counted twice.</summary>
[Collection(ProxyChainCollection.Name)]
public class FaultInjectionTests(ProxyChainFixture chain)
{
    [Fact]
    public async Task ReportsThroughAFlakyUpstream_AreEachReceivedAtMostOnce_AndEverySuccessExactlyOnce()
    {
        const int reports = 60;
        await using var sidecar = await SidecarProcess.StartAsync(chain.SidecarEnvironment(chain.Squid));
        using var client = TestHttpClients.Direct();
        var run = Guid.NewGuid().ToString("N");
        var succeeded = new List<int>();

        for (var id = 1; id <= reports; id++)
        {
            using var body = new StringContent($"service_token=T&service_id=42&transactions%5B0%5D%5Buser_key%5D=K{id}",
                System.Text.Encoding.ASCII, "application/x-www-form-urlencoded");
            using var response = await client.PostAsync(new Uri(sidecar.BackendUri, $"/flaky/transactions.xml?run={run}&id={id}"), body);
            if (response.StatusCode == HttpStatusCode.Accepted)
            {
                succeeded.Add(id);
            }
            else
            {
                (await SidecarErrorAnswer.ReadAsync(response)).AssertIs(HttpStatusCode.BadGateway, "upstream_unreachable", "upstream");
            }
        }

        var received = chain.Upstream.Requests.Where(r => r.PathAndQuery.Contains($"run={run}"))
            .Select(r => int.Parse(r.PathAndQuery[(r.PathAndQuery.LastIndexOf('=') + 1)..]))
            .ToList();
        Assert.Equal(received.Count, received.Distinct().Count()); // nothing was sent twice
        Assert.Equal(Enumerable.Range(1, reports), received.Order()); // every report reached the upstream once
        Assert.Equal(Enumerable.Range(1, reports).Where(id => id % 3 != 0 && id % 5 != 0), succeeded);
    }

    [Fact]
    public async Task UpstreamResetMidResponse_IsAnErrorForTheClient_NeverATruncatedSuccess()
    {
        await using var sidecar = await SidecarProcess.StartAsync(chain.SidecarEnvironment(chain.Tinyproxy));
        using var client = TestHttpClients.Direct();

        var error = await Record.ExceptionAsync(async () =>
        {
            using var response = await client.GetAsync(new Uri(sidecar.PortalUri, "/reset-mid-response?bytes=2000000"));
            await response.Content.ReadAsByteArrayAsync();
        });

        Assert.NotNull(error); // the announced length never arrives: the client sees a failure, not a short 200
        await sidecar.WaitForAccessLogAsync("upstream_response_aborted");
    }

    [Fact]
    public async Task UpstreamSilentMidResponse_IsAnErrorForTheClient_LoggedAsUpstreamTimeout()
    {
        var environment = chain.SidecarEnvironment(chain.Tinyproxy);
        environment["UPSTREAM_TIMEOUT"] = "5";
        environment["CONNECT_TIMEOUT"] = "5";
        await using var sidecar = await SidecarProcess.StartAsync(environment);
        using var client = TestHttpClients.Direct();
        using (var warm = await client.GetAsync(new Uri(sidecar.BackendUri, "/transactions/authorize.xml")))
        {
            Assert.Equal(HttpStatusCode.Forbidden, warm.StatusCode); // the tunnel is open: only the stall is timed
        }

        var error = await Record.ExceptionAsync(async () =>
        {
            using var response = await client.GetAsync(new Uri(sidecar.BackendUri, "/stall-body?sent=40"));
            await response.Content.ReadAsByteArrayAsync();
        });

        Assert.NotNull(error); // 40 of 100 bytes, then the sidecar gives up: a failure, not a short 200
        var line = await sidecar.WaitForAccessLogAsync("upstream_timeout");
        Assert.Contains("UPSTREAM_TIMEOUT", line);
    }

    [Fact]
    public async Task UpstreamResetMidRequestBody_Is502ForTheClient()
    {
        await using var sidecar = await SidecarProcess.StartAsync(chain.SidecarEnvironment(chain.Tinyproxy));
        using var client = TestHttpClients.Direct();

        using var response = await client.PostAsync(new Uri(sidecar.BackendUri, "/reset-mid-request-body"),
            new StreamContent(new DeterministicStream(20L * 1024 * 1024)));

        var answer = await SidecarErrorAnswer.ReadAsync(response);
        Assert.Equal(HttpStatusCode.BadGateway, answer.Status);
        Assert.Equal("upstream", answer.Hop);
    }

    [Fact]
    public async Task ClientGoingAway_CancelsTheUpstreamRequest_AndTheTunnelStaysUsable()
    {
        await using var sidecar = await SidecarProcess.StartAsync(chain.SidecarEnvironment(chain.Tinyproxy));
        using var client = TestHttpClients.Direct();
        var abortedBefore = chain.Upstream.AbortedRequestCount;
        var path = $"/slow?ms=30000&gone={Guid.NewGuid():N}";

        using (var impatient = new CancellationTokenSource())
        {
            var slow = client.GetAsync(new Uri(sidecar.BackendUri, path), impatient.Token);
            await Eventually.ReturnsAsync(() => Task.FromResult(chain.Upstream.Requests.Any(r => r.PathAndQuery == path)),
                arrived => arrived, TimeSpan.FromSeconds(15), "the slow request reaching the upstream");
            impatient.Cancel();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => slow);
        }

        await Eventually.ReturnsAsync(() => Task.FromResult(chain.Upstream.AbortedRequestCount), n => n > abortedBefore,
            TimeSpan.FromSeconds(15), "the upstream request being cancelled");
        await sidecar.WaitForAccessLogAsync("client_aborted");
        using var next = await client.GetAsync(new Uri(sidecar.BackendUri, "/transactions/authorize.xml"));
        Assert.Equal(HttpStatusCode.Forbidden, next.StatusCode);
    }

    [Fact]
    public async Task ProxyOutage_FailsFast_RecoversAfterwards_AndLeaksNoConnection()
    {
        await using var proxy = await TinyproxyProcess.StartAsync(ProxyChainFixture.TinyproxyUser, ProxyChainFixture.TinyproxyPassword);
        await using var sidecar = await SidecarProcess.StartAsync(chain.SidecarEnvironment(proxy));
        using var client = TestHttpClients.Direct();
        var authorize = new Uri(sidecar.BackendUri, "/transactions/authorize.xml");
        await AssertServedAsync(client, authorize, 5);
        var descriptorsBefore = OpenDescriptors(sidecar.Pid);

        await proxy.StopAsync();
        var started = DateTime.UtcNow;
        for (var i = 0; i < OutageRequests; i++)
        {
            using var response = await client.GetAsync(authorize);
            var answer = await SidecarErrorAnswer.ReadAsync(response);
            Assert.True(answer.Code is "proxy_unreachable" or "upstream_unreachable", answer.Body);
        }

        var outage = DateTime.UtcNow - started;
        await proxy.RestartAsync();
        await AssertServedAsync(client, authorize, 5);

        // Fast failure is proven by the codes (a hang would be connect_timeout); this only catches a gross stall.
        Assert.True(outage < TimeSpan.FromSeconds(60), $"{OutageRequests} requests during the outage took {outage.TotalSeconds:0.0}s");
        // A descriptor leaked per failed request would show as +100; pools and timers on a busy machine move a few.
        Assert.InRange(OpenDescriptors(sidecar.Pid), 0, descriptorsBefore + 30);
    }

    private const int OutageRequests = 100;

    private static async Task AssertServedAsync(HttpClient client, Uri uri, int times)
    {
        for (var i = 0; i < times; i++)
        {
            using var response = await client.GetAsync(uri);
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        }
    }

    private static int OpenDescriptors(int pid) => Directory.GetFiles($"/proc/{pid}/fd").Length;
}
