using System.Net;
using ApicastSidecarProxy.FunctionalTests.Infrastructure;

namespace ApicastSidecarProxy.FunctionalTests.Startup;

/// <summary>Stopping the sidecar the way a service manager does loses no log line.</summary>
[Collection(ProxyChainCollection.Name)]
public class ShutdownTests(ProxyChainFixture chain)
{
    [Fact]
    public async Task Sigterm_ExitsZero_WithEveryAccessLogLineWritten()
    {
        const int requests = 50;
        await using var sidecar = await SidecarProcess.StartAsync(chain.SidecarEnvironment(chain.Tinyproxy));
        using var client = TestHttpClients.Direct();
        for (var i = 0; i < requests; i++)
        {
            using var response = await client.GetAsync(new Uri(sidecar.BackendUri, $"/transactions/authorize.xml?n={i}"));
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        }

        var exitCode = await sidecar.TerminateAsync();

        Assert.Equal(0, exitCode);
        Assert.Equal(requests, sidecar.OutputLines.Count(line => line.Contains(" access[") && line.Contains("/transactions/authorize.xml?n=")));
    }
}
