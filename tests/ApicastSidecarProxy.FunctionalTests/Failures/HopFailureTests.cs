using System.Net;
using ApicastSidecarProxy.FunctionalTests.Infrastructure;
using Xunit.Abstractions;

namespace ApicastSidecarProxy.FunctionalTests.Failures;

/// <summary>Each failing hop gives the client a 502/504 whose body and X-Sidecar-Error name the hop.</summary>
[Collection(ProxyChainCollection.Name)]
public class HopFailureTests(ProxyChainFixture chain, ITestOutputHelper output)
{
    [Fact]
    public async Task ProxyDown_IsProxyUnreachable()
    {
        using var closed = new ClosedTcpPort();
        var environment = chain.SidecarEnvironment(chain.Tinyproxy);
        environment["https_proxy"] = $"http://{ProxyChainFixture.TinyproxyUser}:{ProxyChainFixture.TinyproxyPassword}@127.0.0.1:{closed.Port}";

        var (answer, sidecar) = await RequestAsync(environment, "backend", "/transactions/authorize.xml");

        answer.AssertIs(HttpStatusCode.BadGateway, "proxy_unreachable", "proxy");
    }

    [Theory]
    [InlineData("tinyproxy")] // answers a wrong password with 401
    [InlineData("squid")]     // answers with 407
    public async Task WrongProxyPassword_IsProxyAuthFailed(string proxyName)
    {
        var proxy = chain.Proxy(proxyName);
        var environment = chain.SidecarEnvironment(proxy);
        environment["https_proxy"] = proxy.ProxyUri.ToString();
        environment["PROXY_USERNAME"] = proxy.Credentials!.UserName;
        environment["PROXY_PASSWORD"] = "wrong-Passw0rd";

        var (answer, sidecar) = await RequestAsync(environment, "portal", "/admin/api/accounts.xml");

        answer.AssertIs(HttpStatusCode.BadGateway, "proxy_auth_failed", "proxy");
        Assert.DoesNotContain("wrong-Passw0rd", answer.Body);
        Assert.DoesNotContain("wrong-Passw0rd", sidecar);
    }

    [Fact]
    public async Task MissingProxyCredentials_IsProxyAuthFailed()
    {
        var environment = chain.SidecarEnvironment(chain.Squid);
        environment["https_proxy"] = chain.Squid.ProxyUri.ToString();

        var (answer, _) = await RequestAsync(environment, "portal", "/admin/api/accounts.xml");

        answer.AssertIs(HttpStatusCode.BadGateway, "proxy_auth_failed", "proxy");
    }

    [Fact]
    public async Task UntrustedUpstreamCertificate_IsUpstreamTlsFailed_WithTheReason()
    {
        var environment = chain.SidecarEnvironment(chain.Tinyproxy);
        environment.Remove("UPSTREAM_CA_FILE");

        var (answer, sidecar) = await RequestAsync(environment, "backend", "/transactions/authorize.xml");

        answer.AssertIs(HttpStatusCode.BadGateway, "upstream_tls_failed", "upstream");
        Assert.Matches("UntrustedRoot|PartialChain", answer.Message);
    }

    [Fact]
    public async Task CertificateFromAnotherCa_IsUpstreamTlsFailed()
    {
        using var otherCa = TestCertificateAuthority.CreateUnrelated();
        var environment = chain.SidecarEnvironment(chain.Squid);
        environment["UPSTREAM_CA_FILE"] = otherCa.CaPemPath;

        var (answer, _) = await RequestAsync(environment, "backend", "/transactions/authorize.xml");

        answer.AssertIs(HttpStatusCode.BadGateway, "upstream_tls_failed", "upstream");
    }

    [Theory]
    [InlineData("tinyproxy")]
    [InlineData("squid")]
    public async Task UpstreamDown_BehindTheProxy_IsUpstreamUnreachable(string proxyName)
    {
        using var closed = new ClosedTcpPort();
        var environment = chain.SidecarEnvironment(chain.Proxy(proxyName));
        environment["BACKEND_ENDPOINT_OVERRIDE"] = $"https://localhost:{closed.Port}";

        var (answer, sidecar) = await RequestAsync(environment, "backend", "/transactions/authorize.xml");

        answer.AssertIs(HttpStatusCode.BadGateway, "upstream_unreachable", "upstream");
    }

    [Fact]
    public async Task UpstreamDown_Direct_IsUpstreamUnreachable()
    {
        using var closed = new ClosedTcpPort();
        var environment = chain.SidecarEnvironment(chain.Tinyproxy);
        environment["BACKEND_ENDPOINT_OVERRIDE"] = $"https://127.0.0.1:{closed.Port}";
        environment["NO_PROXY"] = "127.0.0.1";

        var (answer, _) = await RequestAsync(environment, "backend", "/transactions/authorize.xml");

        answer.AssertIs(HttpStatusCode.BadGateway, "upstream_unreachable", "upstream");
    }

    [Fact]
    public async Task UpstreamTooSlow_IsUpstreamTimeout()
    {
        var environment = ShortTimeouts();

        var (answer, sidecar) = await RequestAsync(environment, "backend", "/slow?ms=30000", warmUp: true);

        answer.AssertIs(HttpStatusCode.GatewayTimeout, "upstream_timeout", "upstream");
    }

    [Fact]
    public async Task UpstreamSilentAfterItsHeaders_IsUpstreamTimeout()
    {
        var environment = ShortTimeouts();

        var (answer, _) = await RequestAsync(environment, "backend", "/stall-body", warmUp: true);

        answer.AssertIs(HttpStatusCode.GatewayTimeout, "upstream_timeout", "upstream");
    }

    [Fact]
    public async Task PlainHttpUpstreamThroughAProxy_WrongPassword_IsProxyAuthFailed()
    {
        // No CONNECT for an http:// upstream: squid's 407 comes back as the response, which must not pass as the upstream's.
        await using var plain = await FakeThreescaleUpstream.StartPlainHttpAsync();
        var environment = PlainHttpThroughSquid(plain, "wr0ng-plain-pw");

        var (answer, output) = await RequestAsync(environment, "backend", "/transactions/authorize.xml");

        answer.AssertIs(HttpStatusCode.BadGateway, "proxy_auth_failed", "proxy");
        Assert.Equal(0, plain.RequestCount);
        Assert.DoesNotContain("wr0ng-plain-pw", output);
    }

    [Fact]
    public async Task PlainHttpUpstreamThroughAProxy_RightPassword_ReachesTheUpstream()
    {
        await using var plain = await FakeThreescaleUpstream.StartPlainHttpAsync();
        await using var sidecar = await SidecarProcess.StartAsync(PlainHttpThroughSquid(plain, ProxyChainFixture.SquidPassword));
        using var client = TestHttpClients.Direct();

        using var response = await client.GetAsync(new Uri(sidecar.BackendUri, "/transactions/authorize.xml"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode); // the fake backend's answer without a key
        Assert.Equal(1, plain.RequestCount);
    }

    // 5 s: a cold tunnel through tinyproxy on a loaded machine fits in it.
    private Dictionary<string, string> ShortTimeouts()
    {
        var environment = chain.SidecarEnvironment(chain.Tinyproxy);
        environment["UPSTREAM_TIMEOUT"] = "5";
        environment["CONNECT_TIMEOUT"] = "5";
        return environment;
    }

    private Dictionary<string, string> PlainHttpThroughSquid(FakeThreescaleUpstream plain, string password)
    {
        var environment = chain.SidecarEnvironment(chain.Squid);
        environment["THREESCALE_PORTAL_ENDPOINT"] = plain.BaseUri.ToString();
        environment["BACKEND_ENDPOINT_OVERRIDE"] = plain.BaseUri.ToString();
        environment["http_proxy"] = chain.Squid.ProxyUri.ToString();
        environment["PROXY_USERNAME"] = ProxyChainFixture.SquidUser;
        environment["PROXY_PASSWORD"] = password;
        return environment;
    }

    [Fact]
    public async Task ProxyThatNeverAnswers_IsConnectTimeout_WithoutRetryStorm()
    {
        await using var silent = MisbehavingProxy.NeverAnswering();
        var environment = chain.SidecarEnvironment(silent);

        var (answer, _) = await RequestAsync(environment, "backend", "/transactions/authorize.xml");

        answer.AssertIs(HttpStatusCode.GatewayTimeout, "connect_timeout", "proxy");
        Assert.Equal(1, silent.AcceptedConnections);
    }

    [Fact]
    public async Task ProxyThatClosesTheConnect_IsProxyRefused_WithBoundedAttempts()
    {
        await using var closing = MisbehavingProxy.ClosingWithoutAnswer();
        var environment = chain.SidecarEnvironment(chain.Tinyproxy);
        environment["https_proxy"] = closing.ProxyUri.ToString();

        var (answer, _) = await RequestAsync(environment, "backend", "/transactions/authorize.xml");

        answer.AssertIs(HttpStatusCode.BadGateway, "proxy_refused", "proxy");
        Assert.Equal(2, closing.AcceptedConnections); // one retry is allowed: a proxy may close after its 407
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("DELETE")]
    [InlineData("POST")]
    public async Task UpstreamClosingWithoutAnswer_GetsTheRequestOnce(string method)
    {
        var path = $"/transactions/authrep.xml/{Guid.NewGuid():N}/abort";
        await using var sidecar = await SidecarProcess.StartAsync(chain.SidecarEnvironment(chain.Tinyproxy));
        using var client = TestHttpClients.Direct();

        using var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), new Uri(sidecar.BackendUri, path)));
        var answer = await SidecarErrorAnswer.ReadAsync(response);

        answer.AssertIs(HttpStatusCode.BadGateway, "upstream_unreachable", "upstream");
        Assert.Equal(1, chain.Upstream.Requests.Count(r => r.PathAndQuery == path));
    }

    /// <param name="warmUp">Open the tunnel with a quick request first, so a short timeout measures only the slow one.</param>
    private async Task<(SidecarErrorAnswer Answer, string SidecarOutput)> RequestAsync(
        Dictionary<string, string> environment, string route, string pathAndQuery, bool warmUp = false)
    {
        await using var sidecar = await SidecarProcess.StartAsync(environment);
        using var client = TestHttpClients.Direct();
        if (warmUp)
        {
            using var warm = await client.GetAsync(new Uri(sidecar.Route(route), "/transactions/authorize.xml"));
            Assert.Equal(HttpStatusCode.Forbidden, warm.StatusCode);
        }

        using var response = await client.GetAsync(new Uri(sidecar.Route(route), pathAndQuery));
        var answer = await SidecarErrorAnswer.ReadAsync(response);
        output.WriteLine(await sidecar.WaitForAccessLogAsync(answer.Code));
        await sidecar.DisposeAsync();
        return (answer, sidecar.Output);
    }
}
