using System.Net;
using ApicastSidecarProxy.FunctionalTests.Infrastructure;

namespace ApicastSidecarProxy.FunctionalTests.EnterpriseProxies;

/// <summary>An https:// proxy (TLS to the proxy, then CONNECT inside it): stunnel in front of tinyproxy with Basic auth.</summary>
[Collection(EnterpriseProxyCollection.Name)]
public class HttpsProxyTests(ProxyChainFixture chain)
{
    [Fact]
    public async Task BothRoutes_PassThroughAnHttpsProxy_TrustedThroughUpstreamCaFile()
    {
        await using var stunnel = await StunnelProcess.StartAsync(chain.Tinyproxy.Port, chain.Ca.ServerCertificate);
        var tunnelsBefore = chain.Tinyproxy.CountAuthorizedConnects(chain.Upstream.HostPort);
        await using var sidecar = await SidecarProcess.StartAsync(Environment(stunnel, ProxyChainFixture.TinyproxyPassword));

        await ReadmeCheck.AssertBothRoutesPassAsync(sidecar);

        Assert.True(chain.Tinyproxy.CountAuthorizedConnects(chain.Upstream.HostPort) > tunnelsBefore, chain.Tinyproxy.ReadLog());
        await Eventually.ReturnsAsync(() => Task.FromResult(stunnel.Output), output => output.Contains("accepted connection from 127.0.0.1"),
            TimeSpan.FromSeconds(10), "stunnel's log of the connection");
    }

    [Fact]
    public async Task ForwardTunnel_PassesThroughAnHttpsProxy()
    {
        await using var stunnel = await StunnelProcess.StartAsync(chain.Tinyproxy.Port, chain.Ca.ServerCertificate);
        var tunnelsBefore = chain.Tinyproxy.CountAuthorizedConnects(chain.Upstream.HostPort);
        await using var sidecar = await SidecarProcess.StartAsync(
            ForwardProxy.ForwardProxyClients.WithForwardListener(Environment(stunnel, ProxyChainFixture.TinyproxyPassword), chain));

        await ForwardProxy.ForwardProxyClients.AssertTunnelToTheUpstreamAsync(sidecar, chain);

        Assert.True(await chain.Tinyproxy.WaitForConnectsAsync(chain.Upstream.HostPort, tunnelsBefore + 1, TimeSpan.FromSeconds(10),
            authorizedOnly: true) > tunnelsBefore, chain.Tinyproxy.ReadLog());
    }

    [Fact]
    public async Task WrongPassword_InsideTheTls_IsProxyAuthFailed()
    {
        await using var stunnel = await StunnelProcess.StartAsync(chain.Tinyproxy.Port, chain.Ca.ServerCertificate);

        var (answer, output) = await ReadmeCheck.FailingPortalCheckAsync(Environment(stunnel, "wr0ng-tls-pw"));

        answer.AssertIs(HttpStatusCode.BadGateway, "proxy_auth_failed", "proxy");
        Assert.DoesNotContain("wr0ng-tls-pw", output);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)] // skipping applies to upstreams: the proxy's TLS carries the proxy password
    public async Task ProxyCertificateFromAnotherCa_IsRefused_NamingThatCertificate(bool skipUpstreamVerification)
    {
        using var otherCa = TestCertificateAuthority.CreateUnrelated("Unrelated Proxy CA");
        await using var stunnel = await StunnelProcess.StartAsync(chain.Tinyproxy.Port, otherCa.ServerCertificate);

        var environment = Environment(stunnel, ProxyChainFixture.TinyproxyPassword);
        // The proxy by address, the upstream by name: the sidecar tells the two handshakes apart by host.
        environment["https_proxy"] = environment["https_proxy"].Replace("@localhost:", "@127.0.0.1:", StringComparison.Ordinal);
        environment["UPSTREAM_TLS_INSECURE_SKIP_VERIFY"] = skipUpstreamVerification ? "true" : "false";

        var (answer, _) = await ReadmeCheck.FailingPortalCheckAsync(environment);

        Assert.Equal(HttpStatusCode.BadGateway, answer.Status);
        Assert.Equal("proxy_tls_failed", answer.Code);
        Assert.Equal("proxy", answer.Hop);
        Assert.Contains("the proxy's certificate", answer.Message);
        Assert.Contains("issued by CN=Unrelated Proxy CA", answer.Message);
    }

    private Dictionary<string, string> Environment(StunnelProcess stunnel, string password)
    {
        var environment = chain.SidecarEnvironment(chain.Tinyproxy);
        // The proxy's certificate is for localhost; UPSTREAM_CA_FILE (the test CA) is trusted for proxy and upstream alike.
        environment["https_proxy"] = $"https://{ProxyChainFixture.TinyproxyUser}:{password}@localhost:{stunnel.Port}";
        return environment;
    }
}
