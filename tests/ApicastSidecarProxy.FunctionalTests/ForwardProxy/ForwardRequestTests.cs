using System.Text.Json;
using ApicastSidecarProxy.FunctionalTests.Infrastructure;

namespace ApicastSidecarProxy.FunctionalTests.ForwardProxy;

/// <summary>Absolute-form http:// requests on the forward listener (OCSP responders, plain-http issuers).</summary>
[Collection(ProxyChainCollection.Name)]
public class ForwardRequestTests(ProxyChainFixture chain)
{
    [Fact]
    public async Task AbsoluteForm_Direct_IsForwarded_WithoutTheClientsProxyAuthorization()
    {
        await using var plain = await FakeThreescaleUpstream.StartPlainHttpAsync();
        await using var sidecar = await SidecarProcess.StartAsync(Environment(plain));

        var answer = await CommandLineTool.RunAsync(ExecutableLocator.Find("curl", "Install it: apt-get install curl."),
        [
            "-sS", "--max-time", "20", "-x", sidecar.Route("forward").ToString(),
            "-H", "Proxy-Authorization: Basic Y2xpZW50OnNlY3JldA==", "-H", "X-Kept: yes",
            $"http://localhost:{plain.BaseUri.Port}/echo/ocsp?a=%2F1",
        ]);

        var echo = JsonDocument.Parse(answer).RootElement;
        Assert.Equal("/echo/ocsp", echo.GetProperty("path").GetString());
        Assert.Equal("?a=%2F1", echo.GetProperty("query").GetString());
        var headers = echo.GetProperty("headers");
        Assert.False(headers.TryGetProperty("Proxy-Authorization", out _));
        Assert.Equal("yes", headers.GetProperty("X-Kept")[0].GetString());
        Assert.Equal($"localhost:{plain.BaseUri.Port}", headers.GetProperty("Host")[0].GetString());
        var line = await sidecar.WaitForLineAsync(l => l.Contains(" access[") && l.Contains("route=forward"));
        Assert.Contains($"method=GET path=http://localhost:{plain.BaseUri.Port}/echo/ocsp?a=%2F1 status=200 ", line);
    }

    [Fact]
    public async Task AbsoluteForm_GoesThroughHttpProxy_WithItsCredentials()
    {
        await using var plain = await FakeThreescaleUpstream.StartPlainHttpAsync();
        var environment = Environment(plain);
        environment["http_proxy"] = chain.Squid.ProxyUrlWithCredentials;
        await using var sidecar = await SidecarProcess.StartAsync(environment);

        var answer = await CommandLineTool.RunAsync(ExecutableLocator.Find("curl", "Install it: apt-get install curl."),
            ["-sS", "--max-time", "20", "-x", sidecar.Route("forward").ToString(), $"http://localhost:{plain.BaseUri.Port}/echo/through-squid"]);

        Assert.Equal("/echo/through-squid", JsonDocument.Parse(answer).RootElement.GetProperty("path").GetString());
        Assert.Contains($"http://localhost:{plain.BaseUri.Port}/echo/through-squid", chain.Squid.ReadLog());
    }

    private static Dictionary<string, string> Environment(FakeThreescaleUpstream plain) => new()
    {
        ["THREESCALE_PORTAL_ENDPOINT"] = "https://portal.example.org",
        ["FORWARD_PROXY_PORT"] = "0",
        ["FORWARD_PROXY_ALLOW"] = $"localhost:{plain.BaseUri.Port}",
    };
}
