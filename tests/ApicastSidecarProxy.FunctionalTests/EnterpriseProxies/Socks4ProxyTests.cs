using ApicastSidecarProxy.FunctionalTests.Infrastructure;

namespace ApicastSidecarProxy.FunctionalTests.EnterpriseProxies;

/// <summary>A SOCKS4 proxy (Dante) carrying both routes; the sidecar resolves the upstream's name itself.</summary>
[Collection(EnterpriseProxyCollection.Name)]
public class Socks4ProxyTests(ProxyChainFixture chain)
{
    [Fact]
    public async Task BothRoutes_PassThroughSocks4()
    {
        await using var socks = await DanteProcess.StartAsync();
        var environment = chain.SidecarEnvironment(chain.Tinyproxy);
        environment["https_proxy"] = $"socks4://127.0.0.1:{socks.Port}";
        await using var sidecar = await SidecarProcess.StartAsync(environment);

        await ReadmeCheck.AssertBothRoutesPassAsync(sidecar);

        // Dante logs "... -> PROXY-SIDE-ADDRESS 127.0.0.1.UPSTREAM-PORT" for each connection it passed.
        var toUpstream = $"127.0.0.1.{chain.Upstream.HostPort.Split(':')[1]}";
        await Eventually.ReturnsAsync(() => Task.FromResult(socks.PassedConnections()),
            passed => passed.Any(line => line.EndsWith(toUpstream, StringComparison.Ordinal)), TimeSpan.FromSeconds(10),
            $"Dante's log of a connection to {toUpstream}");
    }
}
