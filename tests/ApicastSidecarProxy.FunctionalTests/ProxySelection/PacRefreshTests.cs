using System.Net;
using ApicastSidecarProxy.FunctionalTests.Infrastructure;

namespace ApicastSidecarProxy.FunctionalTests.ProxySelection;

/// <summary>A PAC script served over http (python3's http.server) and fetched again every PROXY_PAC_REFRESH.</summary>
[Collection(ProxyChainCollection.Name)]
public sealed class PacRefreshTests(ProxyChainFixture chain) : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("pac-server-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task ARefreshServingABrokenScript_KeepsTheLastGoodOne_AndAChangedScriptReplacesIt()
    {
        await using var a = await TinyproxyProcess.StartAsync();
        await using var b = await TinyproxyProcess.StartAsync();
        Publish(ScriptThrough(a));
        var port = FreeTcpPort.Find();
        await using var server = await LoopbackServer.StartAsync(ExecutableLocator.Find("python3", "Install it: apt-get install python3."),
            ["-m", "http.server", port.ToString(), "--bind", "127.0.0.1", "--directory", _directory], _directory, port);
        var environment = chain.SidecarEnvironment(chain.Tinyproxy);
        environment.Remove("https_proxy");
        environment["PROXY_PAC"] = $"http://127.0.0.1:{port}/proxy.pac";
        environment["PROXY_PAC_REFRESH"] = "1";
        await using var sidecar = await SidecarProcess.StartAsync(environment);
        using var client = TestHttpClients.Direct();
        await AssertGoesThroughAsync(client, sidecar, a, expectedLines: 1);

        Publish("function FindProxyForURL(url, host) { return ");
        await sidecar.WaitForLineAsync(line => line.Contains("the PAC script could not be refreshed", StringComparison.Ordinal));
        await AssertGoesThroughAsync(client, sidecar, a, expectedLines: 2);
        using var metrics = await client.GetAsync(new Uri(sidecar.ManagementUri, "/metrics"));
        Assert.Matches("apicast_sidecar_proxy_pac_refresh_failures_total [1-9]", await metrics.Content.ReadAsStringAsync());

        Publish(ScriptThrough(b));
        await sidecar.WaitForLineAsync(line => line.Contains("the PAC script changed", StringComparison.Ordinal));
        await AssertGoesThroughAsync(client, sidecar, b, expectedLines: 1);
    }

    private static string ScriptThrough(ForwardProxyProcess proxy) =>
        $"function FindProxyForURL(url, host) {{ return \"PROXY 127.0.0.1:{proxy.Port}\"; }}";

    // Written aside, then renamed: the server never sends half a script.
    private void Publish(string script)
    {
        var draft = Path.Combine(_directory, "draft.tmp");
        File.WriteAllText(draft, script);
        File.Move(draft, Path.Combine(_directory, "proxy.pac"), overwrite: true);
    }

    private static async Task AssertGoesThroughAsync(HttpClient client, SidecarProcess sidecar, ForwardProxyProcess proxy,
        int expectedLines)
    {
        using var answer = await client.GetAsync(new Uri(sidecar.BackendUri, "/transactions/authorize.xml"));

        Assert.Equal(HttpStatusCode.Forbidden, answer.StatusCode);
        await Eventually.ReturnsAsync(() => Task.FromResult(sidecar.OutputLines.Count(line =>
                line.Contains("route=backend", StringComparison.Ordinal)
                && line.Contains($"proxy=http://127.0.0.1:{proxy.Port}", StringComparison.Ordinal))),
            count => count >= expectedLines, TimeSpan.FromSeconds(10), $"{expectedLines} request(s) through {proxy.Port}");
    }
}
