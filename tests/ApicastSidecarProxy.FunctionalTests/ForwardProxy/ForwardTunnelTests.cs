using System.Net;
using ApicastSidecarProxy.FunctionalTests.Infrastructure;

namespace ApicastSidecarProxy.FunctionalTests.ForwardProxy;

/// <summary>
/// The forward-proxy listener with real clients (curl, Python's urllib) and real proxies: CONNECT to an allow-listed
/// destination is tunnelled through the corporate proxy with its credentials, TLS end to end.
/// </summary>
[Collection(ProxyChainCollection.Name)]
public class ForwardTunnelTests(ProxyChainFixture chain)
{
    [Theory]
    [InlineData("tinyproxy")]
    [InlineData("squid")]
    public async Task Curl_ThroughTheCorporateProxy_SeesTheUpstreamsOwnCertificate(string proxyName)
    {
        var proxy = chain.Proxy(proxyName);
        await using var sidecar = await SidecarProcess.StartAsync(ForwardEnvironment(proxy));
        var before = proxy.CountAuthorizedConnects(chain.Upstream.HostPort);

        var answer = await ForwardProxyClients.CurlAsync(sidecar, chain.Upstream.Url("/admin/api/accounts.xml").ToString(), chain.Ca);

        Assert.EndsWith("\n403 0", answer); // status 403 from the upstream, and curl verified its certificate against the test CA
        Assert.Contains("Access denied", answer);
        Assert.True(await proxy.WaitForConnectsAsync(chain.Upstream.HostPort, before + 1, TimeSpan.FromSeconds(10), authorizedOnly: true) > before);
        var line = await sidecar.WaitForLineAsync(l => l.Contains(" access[") && l.Contains("route=forward"));
        Assert.Contains($"method=CONNECT path={chain.Upstream.HostPort} status=200 ", line);
        Assert.Matches(@"bytes_in=[1-9]\d* bytes_out=[1-9]\d* error=- client=127\.0\.0\.1", line);
        Assert.Equal(1, await SidecarMetricsReader.SumAsync(sidecar, "apicast_sidecar_requests_total"));
        Assert.True(await SidecarMetricsReader.SumAsync(sidecar, "apicast_sidecar_response_body_bytes_total") > 0);
    }

    [Fact]
    public async Task PythonOidcDiscovery_GetsTheDiscoveryDocumentAndTheJwks()
    {
        await using var sidecar = await SidecarProcess.StartAsync(ForwardEnvironment(chain.Tinyproxy));

        var keys = await ForwardProxyClients.OidcDiscoveryAsync(sidecar, chain.Upstream.Url("/auth/realms/apicast"), chain.Ca);

        Assert.Equal("fake-issuer-key", keys.Trim());
        // A tunnel's line is written when it closes: the client has exited, so both have.
        await Eventually.ReturnsAsync(
            () => Task.FromResult(sidecar.OutputLines.Count(l => l.Contains(" access[") && l.Contains("route=forward") && l.Contains("status=200"))),
            count => count == 2, TimeSpan.FromSeconds(10), "one access line per tunnel");
    }

    [Fact]
    public async Task ProxyDown_TheConnectGets502ProxyUnreachable()
    {
        using var closed = new ClosedTcpPort();
        var environment = ForwardEnvironment(chain.Tinyproxy);
        environment["https_proxy"] = $"http://127.0.0.1:{closed.Port}";
        await using var sidecar = await SidecarProcess.StartAsync(environment);

        var answer = await RawHttp.ExchangeAsync(sidecar.Route("forward"), $"CONNECT {chain.Upstream.HostPort} HTTP/1.1\r\nHost: {chain.Upstream.HostPort}\r\n\r\n");

        Assert.Equal(502, RawHttp.StatusOf(answer));
        Assert.Contains("X-Sidecar-Error: proxy_unreachable", answer);
        Assert.Contains("\"hop\":\"proxy\"", answer);
    }

    [Fact]
    public async Task WrongProxyPassword_TheConnectGets502ProxyAuthFailed()
    {
        var environment = ForwardEnvironment(chain.Squid);
        environment["https_proxy"] = $"http://{ProxyChainFixture.SquidUser}:forward-wr0ng@127.0.0.1:{chain.Squid.Port}";
        await using var sidecar = await SidecarProcess.StartAsync(environment);

        var answer = await RawHttp.ExchangeAsync(sidecar.Route("forward"), $"CONNECT {chain.Upstream.HostPort} HTTP/1.1\r\n\r\n");

        Assert.Equal(502, RawHttp.StatusOf(answer));
        Assert.Contains("X-Sidecar-Error: proxy_auth_failed", answer);
        Assert.DoesNotContain("forward-wr0ng", answer);
    }

    private Dictionary<string, string> ForwardEnvironment(ForwardProxyProcess proxy)
    {
        var environment = chain.SidecarEnvironment(proxy);
        environment["FORWARD_PROXY_PORT"] = "0";
        environment["FORWARD_PROXY_ALLOW"] = $"localhost:{chain.Upstream.BaseUri.Port},*.example.org";
        return environment;
    }
}
