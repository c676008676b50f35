using System.Net;
using ApicastSidecarProxy.FunctionalTests.Infrastructure;

namespace ApicastSidecarProxy.FunctionalTests.ProxySelection;

/// <summary>
/// PROXY_PAC with real tinyproxies. The fake 3scale upstream answers as both localhost and 127.0.0.1, so the portal
/// (localhost) and the backend (127.0.0.1) are two hosts a PAC script can tell apart.
/// </summary>
[Collection(ProxyChainCollection.Name)]
public sealed class PacTests(ProxyChainFixture chain) : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("pac-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task ThePortalGoesThroughA_TheBackendThroughB_AsTheScriptSays()
    {
        await using var a = await TinyproxyProcess.StartAsync();
        await using var b = await TinyproxyProcess.StartAsync();
        await using var sidecar = await SidecarProcess.StartAsync(Environment($$"""
            function FindProxyForURL(url, host) {
              if (dnsDomainIs(host, "localhost")) return "PROXY 127.0.0.1:{{a.Port}}";
              return "PROXY 127.0.0.1:{{b.Port}}; DIRECT";
            }
            """));
        using var client = TestHttpClients.Direct();

        using var portal = await client.GetAsync(new Uri(sidecar.PortalUri, "/admin/api/accounts.xml"));
        using var backend = await client.GetAsync(new Uri(sidecar.BackendUri, "/transactions/authorize.xml"));

        Assert.Equal((HttpStatusCode.Forbidden, HttpStatusCode.Forbidden), (portal.StatusCode, backend.StatusCode));
        Assert.Equal(1, await a.WaitForConnectsAsync(chain.Upstream.HostPort, 1, TimeSpan.FromSeconds(10)));
        Assert.Equal(0, a.CountConnects(BackendHostPort));
        Assert.Equal(1, await b.WaitForConnectsAsync(BackendHostPort, 1, TimeSpan.FromSeconds(10)));
        Assert.Equal(0, b.CountConnects(chain.Upstream.HostPort));
        await sidecar.WaitForLineAsync(line => line.Contains("route=backend", StringComparison.Ordinal)
            && line.Contains($"proxy=http://127.0.0.1:{b.Port}", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(ProxyChainFixture.SquidPassword, HttpStatusCode.Forbidden)]
    [InlineData("wrong-Passw0rd", HttpStatusCode.BadGateway)]
    public async Task AProxyNamedByTheScript_IsAnsweredWithTheProxyCredentials(string password, HttpStatusCode expected)
    {
        var environment = Environment($$"""
            function FindProxyForURL(url, host) { return "PROXY 127.0.0.1:{{chain.Squid.Port}}"; }
            """);
        environment["PROXY_USERNAME"] = ProxyChainFixture.SquidUser;
        environment["PROXY_PASSWORD"] = password;
        await using var sidecar = await SidecarProcess.StartAsync(environment);
        using var client = TestHttpClients.Direct();

        using var answer = await client.GetAsync(new Uri(sidecar.BackendUri, "/transactions/authorize.xml"));

        Assert.Equal(expected, answer.StatusCode);
        if (expected == HttpStatusCode.BadGateway)
        {
            Assert.Equal("proxy_auth_failed", answer.Headers.GetValues("X-Sidecar-Error").Single());
            Assert.Contains("Basic credentials", await answer.Content.ReadAsStringAsync());
        }

        Assert.DoesNotContain(password, sidecar.Output);
    }

    [Fact]
    public async Task Socks5InTheResult_GoesThroughTheSocksProxy_WithTheProxyCredentials_AfterADeadFirstEntry()
    {
        await using var socks = await MicrosocksProcess.StartAsync("pacsocks", "pac-socks-pw");
        using var dead = new ClosedTcpPort();
        var environment = Environment($$"""
            function FindProxyForURL(url, host) { return "PROXY 127.0.0.1:{{dead.Port}}; SOCKS5 127.0.0.1:{{socks.Port}}"; }
            """);
        environment["PROXY_USERNAME"] = "pacsocks";
        environment["PROXY_PASSWORD"] = "pac-socks-pw";
        await using var sidecar = await SidecarProcess.StartAsync(environment);
        using var client = TestHttpClients.Direct();

        using var answer = await client.GetAsync(new Uri(sidecar.BackendUri, "/transactions/authorize.xml"));

        Assert.Equal(HttpStatusCode.Forbidden, answer.StatusCode);
        await sidecar.WaitForLineAsync(line => line.Contains("route=backend", StringComparison.Ordinal)
            && line.Contains($"proxy=socks5://127.0.0.1:{socks.Port}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheScriptSeesOnlySchemeAndHost_NeverThePathOrQuery()
    {
        await using var a = await TinyproxyProcess.StartAsync();
        // DIRECT only when the URL is exactly scheme://host:port/: any path or query would send it to a dead proxy.
        using var dead = new ClosedTcpPort();
        await using var sidecar = await SidecarProcess.StartAsync(Environment($$"""
            function FindProxyForURL(url, host) {
              if (url === "https://" + host + ":{{chain.Upstream.BaseUri.Port}}/") return "PROXY 127.0.0.1:{{a.Port}}";
              return "PROXY 127.0.0.1:{{dead.Port}}";
            }
            """));
        using var client = TestHttpClients.Direct();

        using var answer = await client.GetAsync(new Uri(sidecar.BackendUri, "/transactions/authorize.xml?service_token=S3CRET&x=1"));

        Assert.False(answer.Headers.Contains("X-Sidecar-Error"), await answer.Content.ReadAsStringAsync());
        Assert.Equal(1, await a.WaitForConnectsAsync(BackendHostPort, 1, TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Direct_IsUsedWhenTheScriptReturnsIt_AndOnlyThen()
    {
        await using var a = await TinyproxyProcess.StartAsync();
        await using var sidecar = await SidecarProcess.StartAsync(Environment($$"""
            function FindProxyForURL(url, host) {
              if (host === "127.0.0.1") return "DIRECT";
              return "PROXY 127.0.0.1:{{a.Port}}";
            }
            """));
        using var client = TestHttpClients.Direct();

        using var backend = await client.GetAsync(new Uri(sidecar.BackendUri, "/transactions/authorize.xml"));
        using var portal = await client.GetAsync(new Uri(sidecar.PortalUri, "/admin/api/accounts.xml"));

        Assert.Equal((HttpStatusCode.Forbidden, HttpStatusCode.Forbidden), (backend.StatusCode, portal.StatusCode));
        await sidecar.WaitForLineAsync(line => line.Contains("route=backend", StringComparison.Ordinal)
            && line.Contains("proxy=DIRECT", StringComparison.Ordinal));
        Assert.Equal(1, await a.WaitForConnectsAsync(chain.Upstream.HostPort, 1, TimeSpan.FromSeconds(10)));
        Assert.Equal(0, a.CountConnects(BackendHostPort));
    }

    [Fact]
    public async Task WithoutDirectInTheResult_TheUpstreamIsNeverReachedDirectly_EvenWhenEveryProxyIsDown()
    {
        using var canary = new CanaryListener();
        using var deadA = new ClosedTcpPort();
        using var deadB = new ClosedTcpPort();
        var environment = Environment($"""
            function FindProxyForURL(url, host) {"{"} return "PROXY 127.0.0.1:{deadA.Port}; SOCKS5 127.0.0.1:{deadB.Port}"; {"}"}
            """);
        environment["BACKEND_ENDPOINT_OVERRIDE"] = $"https://127.0.0.1:{canary.Port}";
        await using var sidecar = await SidecarProcess.StartAsync(environment);
        using var client = TestHttpClients.Direct();

        using var answer = await client.GetAsync(new Uri(sidecar.BackendUri, "/transactions/authorize.xml"));

        Assert.Equal(HttpStatusCode.BadGateway, answer.StatusCode);
        Assert.Equal("proxy_unreachable", answer.Headers.GetValues("X-Sidecar-Error").Single());
        Assert.Equal(0, canary.Accepted);
    }

    [Theory]
    [InlineData("function FindProxyForURL(url, host) { return \"PROXY a:1\"", "line")]             // syntax error
    [InlineData("function FindProxyForURL(url, host) { throw new Error(\"no proxy for you\"); }", "no proxy for you")]
    [InlineData("function FindProxyForURL(url, host) { while (true) {} }", "limit")]               // endless loop
    [InlineData("var x = 1;", "FindProxyForURL")]                                               // no function
    [InlineData("function FindProxyForURL(url, host) { return \"GOPHER a:70\"; }", "GOPHER")]      // not a proxy list
    [InlineData("function FindProxyForURL(url, host) { return \"\"; }", "no proxy list")]
    public async Task ABrokenScript_StopsStartUp_NamingProxyPac_WithoutReachingTheUpstream(string script, string reason)
    {
        using var canary = new CanaryListener();
        var environment = Environment(script);
        environment["BACKEND_ENDPOINT_OVERRIDE"] = $"https://127.0.0.1:{canary.Port}";
        environment["THREESCALE_PORTAL_ENDPOINT"] = $"https://localhost:{canary.Port}";

        var (exitCode, sidecar) = await SidecarProcess.RunUntilExitAsync(environment);
        await using var _ = sidecar;

        Assert.Equal(1, exitCode);
        Assert.Contains("configuration error: PROXY_PAC:", sidecar.Output);
        Assert.Contains(reason, sidecar.Output, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(0, canary.Accepted);
    }

    [Fact]
    public async Task AnUnreachablePacUrl_StopsStartUp()
    {
        using var closed = new ClosedTcpPort();
        var environment = chain.SidecarEnvironment(chain.Tinyproxy);
        environment.Remove("https_proxy");
        environment["PROXY_PAC"] = $"http://127.0.0.1:{closed.Port}/proxy.pac";

        var (exitCode, sidecar) = await SidecarProcess.RunUntilExitAsync(environment);
        await using var _ = sidecar;

        Assert.Equal(1, exitCode);
        Assert.Contains("configuration error: PROXY_PAC:", sidecar.Output);
    }

    [Fact]
    public async Task AnHttpsPacUrl_IsTrustedThroughUpstreamCaFile_AndVerifiedEvenWhenUpstreamVerificationIsOff()
    {
        // The fake upstream's TLS (test CA) answers 404 for /proxy.pac: past the handshake, the fetch fails on the status.
        var environment = chain.SidecarEnvironment(chain.Tinyproxy);
        environment.Remove("https_proxy");
        environment["PROXY_PAC"] = chain.Upstream.Url("/proxy.pac?token=PAC-S3CRET").ToString();

        var (trustedExit, trusted) = await SidecarProcess.RunUntilExitAsync(environment);
        await using var _ = trusted;
        environment.Remove("UPSTREAM_CA_FILE");
        environment["UPSTREAM_TLS_INSECURE_SKIP_VERIFY"] = "true";
        var (untrustedExit, untrusted) = await SidecarProcess.RunUntilExitAsync(environment);
        await using var __ = untrusted;

        Assert.Equal((1, 1), (trustedExit, untrustedExit));
        Assert.Contains("404", trusted.Output);
        Assert.DoesNotContain("404", untrusted.Output);
        Assert.Contains("configuration error: PROXY_PAC:", untrusted.Output);
        Assert.DoesNotContain("PAC-S3CRET", trusted.Output + untrusted.Output);
    }

    [Fact]
    public async Task AScriptFailingForOneDestination_FailsThatRequest_WithProxySelectionFailed_NeverDirect()
    {
        using var canary = new CanaryListener();
        await using var a = await TinyproxyProcess.StartAsync();
        var environment = Environment($$"""
            function FindProxyForURL(url, host) {
              if (host === "localhost" && url.indexOf(":{{canary.Port}}/") > 0) { while (true) {} }
              return "PROXY 127.0.0.1:{{a.Port}}";
            }
            """);
        environment["FORWARD_PROXY_PORT"] = "0";
        environment["FORWARD_PROXY_ALLOW"] = $"localhost:{canary.Port}";
        await using var sidecar = await SidecarProcess.StartAsync(environment);

        var answer = await RawHttp.ExchangeAsync(sidecar.Route("forward"),
            $"CONNECT localhost:{canary.Port} HTTP/1.1\r\nHost: localhost:{canary.Port}\r\n\r\n");

        Assert.Equal(502, RawHttp.StatusOf(answer));
        Assert.Contains("X-Sidecar-Error: proxy_selection_failed", answer);
        Assert.Contains("limit", answer);
        Assert.Equal(0, canary.Accepted);
        Assert.Equal(0, a.CountConnects($"localhost:{canary.Port}"));
    }

    [Fact]
    public async Task TheScriptRunsInTheEngineProcess_WithoutTheSidecarsSecrets_StartedAgainWhenKilled_EndingWithTheSidecar()
    {
        await using var a = await TinyproxyProcess.StartAsync();
        var script = $$"""function FindProxyForURL(url, host) { return "PROXY 127.0.0.1:{{a.Port}}"; }""";
        var environment = Environment(script);
        environment["THREESCALE_PORTAL_ENDPOINT"] = $"https://engine-access-token@localhost:{chain.Upstream.BaseUri.Port}";
        environment["PROXY_USERNAME"] = "engine-user";
        environment["PROXY_PASSWORD"] = "engine-secret-pw";
        environment["PROXY_PAC_REFRESH"] = "1";
        var sidecar = await SidecarProcess.StartAsync(environment);
        int engine;
        try
        {
            engine = Assert.Single(PacEngineChildren(sidecar.Pid));
            var variables = File.ReadAllText($"/proc/{engine}/environ");
            Assert.DoesNotContain("engine-secret-pw", variables);
            Assert.DoesNotContain("engine-access-token", variables);
            Assert.DoesNotContain("PROXY_", variables);

            // The routes' answers are cached since start-up: a changed script is what needs the engine again.
            System.Diagnostics.Process.GetProcessById(engine).Kill();
            File.WriteAllText(environment["PROXY_PAC"], "// changed\n" + script);
            await sidecar.WaitForLineAsync(line => line.Contains("the PAC script changed", StringComparison.Ordinal));
            using var client = TestHttpClients.Direct();
            using var answer = await client.GetAsync(new Uri(sidecar.BackendUri, "/transactions/authorize.xml"));

            Assert.Equal(HttpStatusCode.Forbidden, answer.StatusCode);
            engine = Assert.Single(PacEngineChildren(sidecar.Pid), pid => pid != engine);
        }
        finally
        {
            await sidecar.DisposeAsync();
        }

        await Eventually.ReturnsAsync(() => Task.FromResult(Directory.Exists($"/proc/{engine}")), running => !running,
            TimeSpan.FromSeconds(10), "the PAC engine's exit after the sidecar's");
    }

    /// <summary>The PAC engine processes the sidecar started (apicast-sidecar-pac, through the dotnet host in this JIT build).</summary>
    private static int[] PacEngineChildren(int sidecar) =>
        Directory.GetDirectories($"/proc/{sidecar}/task")
            .SelectMany(task => File.ReadAllText(Path.Combine(task, "children")).Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(int.Parse)
            .Where(pid => File.ReadAllText($"/proc/{pid}/cmdline").Contains("apicast-sidecar-pac", StringComparison.Ordinal))
            .Distinct()
            .ToArray();

    private string BackendHostPort => $"127.0.0.1:{chain.Upstream.BaseUri.Port}";

    /// <summary>The fixture's upstream as portal (localhost) and backend (127.0.0.1), with <paramref name="script"/> as PROXY_PAC.</summary>
    private Dictionary<string, string> Environment(string script)
    {
        var path = Path.Combine(_directory, $"proxy-{Guid.NewGuid():N}.pac");
        File.WriteAllText(path, script);
        var environment = chain.SidecarEnvironment(chain.Tinyproxy);
        environment.Remove("https_proxy");
        environment["BACKEND_ENDPOINT_OVERRIDE"] = $"https://127.0.0.1:{chain.Upstream.BaseUri.Port}";
        environment["PROXY_PAC"] = path;
        return environment;
    }
}
