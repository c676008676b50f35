using ApicastSidecarProxy.FunctionalTests.Infrastructure;
using Xunit.Abstractions;

namespace ApicastSidecarProxy.FunctionalTests.Diagnostics;

/// <summary>`check` walks every hop of every route and names the one that fails.</summary>
[Collection(ProxyChainCollection.Name)]
public class CheckCommandTests(ProxyChainFixture chain, ITestOutputHelper output)
{
    private const int HopFailed = 3;

    [Theory]
    [InlineData("tinyproxy")]
    [InlineData("squid")]
    public async Task HealthyChain_PassesEveryHop(string proxyName)
    {
        var (exitCode, text) = await CheckAsync(chain.SidecarEnvironment(chain.Proxy(proxyName)));

        Assert.Equal(0, exitCode);
        Assert.DoesNotContain("\u2718", text);
        Assert.Contains("\u2714 TCP: connected to the proxy", text);
        Assert.Matches(@"\u2714 proxy http://127\.0\.0\.1:\d+ accepted the Basic credentials and opened the tunnel to localhost", text);
        Assert.Equal(2, text.Split('\n').Count(line => line.Contains("\u2714 TLS: CN=localhost, issued by CN=Test CA")));
        Assert.Contains("\u2714 GET /admin/api/accounts.xml answered 403 (application/xml) with the expected \"Access denied\"", text);
        Assert.Contains("\u2714 GET /transactions/authorize.xml answered 403", text);
        Assert.Contains("check passed", text);
    }

    [Fact]
    public async Task ProxyDown_FailsAtTcp()
    {
        using var closed = new ClosedTcpPort();
        var environment = chain.SidecarEnvironment(chain.Tinyproxy);
        environment["https_proxy"] = $"http://127.0.0.1:{closed.Port}";

        var (exitCode, text) = await CheckAsync(environment);

        Assert.Equal(HopFailed, exitCode);
        Assert.Contains($"\u2718 TCP: cannot connect to the proxy at 127.0.0.1:{closed.Port}", text);
        Assert.Contains("hint: is the proxy running", text);
    }

    [Fact]
    public async Task AFailoverList_IsCheckedEntryByEntry_AndTheRequestNamesTheProxyItWentThrough()
    {
        using var closed = new ClosedTcpPort();
        var environment = chain.SidecarEnvironment(chain.Tinyproxy);
        environment["https_proxy"] = $"http://127.0.0.1:{closed.Port}";
        environment["PROXY_FAILOVER"] = chain.Tinyproxy.ProxyUrlWithCredentials;

        var (exitCode, text) = await CheckAsync(environment);

        // A dead entry is a failed hop (exit 3) even though traffic fails over: the operator should know.
        Assert.Equal(HopFailed, exitCode);
        Assert.Contains($"via http://127.0.0.1:{closed.Port}, then http://127.0.0.1:{chain.Tinyproxy.Port}", text);
        Assert.Contains($"\u2718 TCP: cannot connect to the proxy at 127.0.0.1:{closed.Port}", text);
        Assert.Contains($"\u2714 TCP: connected to the proxy at 127.0.0.1:{chain.Tinyproxy.Port}", text);
        Assert.Contains($"\u2714 proxy http://127.0.0.1:{chain.Tinyproxy.Port} accepted the Basic credentials and opened the tunnel", text);
        Assert.Contains("\u2714 GET /admin/api/accounts.xml answered 403", text);
    }

    [Fact]
    public async Task APacScriptFailingForAnUpstream_IsAConfigurationError()
    {
        var script = Path.GetTempFileName();
        File.WriteAllText(script, "function FindProxyForURL(url, host) { throw new Error('nothing for ' + host); }");
        var environment = chain.SidecarEnvironment(chain.Tinyproxy);
        environment.Remove("https_proxy");
        environment["PROXY_PAC"] = script;

        var (exitCode, text) = await CheckAsync(environment);
        File.Delete(script);

        Assert.Equal(1, exitCode);
        Assert.Contains("configuration error: PROXY_PAC: the script gives no proxy list for localhost", text);
    }

    [Fact]
    public async Task WrongPassword_FailsAtProxyAuthentication_NamingTheOfferedScheme()
    {
        var environment = chain.SidecarEnvironment(chain.Squid);
        environment["https_proxy"] = chain.Squid.ProxyUri.ToString();
        environment["PROXY_USERNAME"] = ProxyChainFixture.SquidUser;
        environment["PROXY_PASSWORD"] = "check-wr0ng-pass";

        var (exitCode, text) = await CheckAsync(environment);

        Assert.Equal(HopFailed, exitCode);
        Assert.Contains("\u2714 TCP: connected to the proxy", text);
        Assert.Contains("\u2718 proxy authentication:", text);
        Assert.Contains("check PROXY_USERNAME", text);
        Assert.Contains("the proxy offered Basic", text);
        Assert.DoesNotContain("check-wr0ng-pass", text);
    }

    [Fact]
    public async Task AProxyThatAsksForNoCredentials_IsNotSaidToHaveAcceptedThem()
    {
        await using var open = await TinyproxyProcess.StartAsync();
        var environment = chain.SidecarEnvironment(open);
        environment["https_proxy"] = $"http://unused-user:unused-pw@127.0.0.1:{open.Port}";

        var (exitCode, text) = await CheckAsync(environment);

        Assert.Equal(0, exitCode);
        Assert.Matches(@"\u2714 proxy http://127\.0\.0\.1:\d+ opened the tunnel to localhost", text);
        Assert.DoesNotContain("accepted the credentials", text);
    }

    [Fact]
    public async Task UntrustedCertificate_FailsAtTls()
    {
        var environment = chain.SidecarEnvironment(chain.Tinyproxy);
        environment.Remove("UPSTREAM_CA_FILE");

        var (exitCode, text) = await CheckAsync(environment);

        Assert.Equal(HopFailed, exitCode);
        Assert.Matches(@"\u2714 proxy http://127\.0\.0\.1:\d+ opened the tunnel to localhost", text);
        Assert.Contains("\u2718 TLS: TLS handshake with the upstream failed: the upstream's certificate (CN=localhost, issued by CN=Test CA", text);
        Assert.Contains("UPSTREAM_CA_FILE", text);
    }

    [Fact]
    public async Task ProxyThatNeverAnswers_FailsAtTheConnection_NotAtTheAnswer()
    {
        await using var silent = MisbehavingProxy.NeverAnswering();
        var environment = chain.SidecarEnvironment(silent);

        var (exitCode, text) = await CheckAsync(environment);

        Assert.Equal(HopFailed, exitCode);
        Assert.Contains("\u2718 connection: no connection through the proxy", text);
        Assert.DoesNotContain("opened the tunnel", text);
        Assert.DoesNotContain("\u2718 answer:", text);
    }

    [Fact]
    public async Task Forward_AllowListedDestination_PassesTunnelAndTls()
    {
        var environment = chain.SidecarEnvironment(chain.Tinyproxy);
        environment["FORWARD_PROXY_PORT"] = "0";
        environment["FORWARD_PROXY_ALLOW"] = chain.Upstream.HostPort;

        var (exitCode, text) = await CheckAsync(environment, "--forward", chain.Upstream.HostPort);

        Assert.Equal(0, exitCode);
        Assert.Contains($"forward: {chain.Upstream.HostPort} via http://127.0.0.1:{chain.Tinyproxy.Port}", text);
        Assert.Contains($"\u2714 {chain.Upstream.HostPort} is in FORWARD_PROXY_ALLOW", text);
        Assert.Contains($"\u2714 proxy http://127.0.0.1:{chain.Tinyproxy.Port} opened the tunnel to {chain.Upstream.HostPort}", text);
        Assert.Equal(3, text.Split('\n').Count(line => line.Contains("\u2714 TLS: CN=localhost, issued by CN=Test CA")));
    }

    [Fact]
    public async Task Forward_DestinationOffTheList_Fails_WithoutATunnel()
    {
        var environment = chain.SidecarEnvironment(chain.Tinyproxy);
        environment["FORWARD_PROXY_PORT"] = "0";
        environment["FORWARD_PROXY_ALLOW"] = "idp.example.org";
        var tunnelsBefore = chain.Tinyproxy.CountAuthorizedConnects(chain.Upstream.HostPort);

        var (exitCode, text) = await CheckAsync(environment, $"--forward={chain.Upstream.HostPort}");

        Assert.Equal(HopFailed, exitCode);
        Assert.Contains($"\u2718 {chain.Upstream.HostPort} is not in FORWARD_PROXY_ALLOW (idp.example.org)", text);
        // Only the two routes' own checks opened a tunnel.
        Assert.Equal(tunnelsBefore + 2, await chain.Tinyproxy.WaitForConnectsAsync(chain.Upstream.HostPort, tunnelsBefore + 3,
            TimeSpan.FromSeconds(2), authorizedOnly: true));
    }

    private async Task<(int ExitCode, string Output)> CheckAsync(Dictionary<string, string> environment, params string[] arguments)
    {
        var (exitCode, sidecar) = await SidecarProcess.RunUntilExitAsync(environment, ["check", .. arguments]);
        await using var _ = sidecar;
        output.WriteLine(sidecar.Output);
        return (exitCode, sidecar.Output);
    }
}
