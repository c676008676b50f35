using System.Net;
using ApicastSidecarProxy.FunctionalTests.Infrastructure;

namespace ApicastSidecarProxy.FunctionalTests.EnterpriseProxies;

/// <summary>
/// NTLM as the sidecar ships it (.NET's managed NTLM, no gss-ntlmssp in the sidecar), verified by a proxy whose acceptor
/// is gss-ntlmssp: a wrong password cannot pass.
/// </summary>
[Collection(EnterpriseProxyCollection.Name)]
public class NtlmProxyAuthTests(ProxyChainFixture chain, NtlmProxyFixture proxies) : IClassFixture<NtlmProxyFixture>
{
    private const string DomainUser = NtlmProxyFixture.Domain + "\\" + NtlmProxyFixture.User;

    [Fact]
    public async Task BothRoutes_PassThroughAnNtlmProxy_WithDomainBackslashUserInTheUrl()
    {
        var proxy = proxies.NtlmOnly;
        var opened = proxy.AuthenticatedUsers.Count;
        var environment = chain.SidecarEnvironment(chain.Squid);
        environment["https_proxy"] = $"http://{NtlmProxyFixture.Domain}%5C{NtlmProxyFixture.User}:{NtlmProxyFixture.Password}@127.0.0.1:{proxy.Port}";
        await using var sidecar = await SidecarProcess.StartAsync(environment);

        await ReadmeCheck.AssertBothRoutesPassAsync(sidecar);

        // Both routes share the upstream here, so one tunnel may carry both.
        var tunnels = proxy.AuthenticatedUsers.Skip(opened).ToArray();
        Assert.NotEmpty(tunnels);
        Assert.All(tunnels, user => Assert.Equal(DomainUser, user));
    }

    [Fact]
    public async Task BothRoutes_PassThroughAnNtlmProxy_WithDomainBackslashUserInProxyUsername()
    {
        await using var sidecar = await SidecarProcess.StartAsync(Environment(proxies.NtlmOnly, NtlmProxyFixture.Password));

        await ReadmeCheck.AssertBothRoutesPassAsync(sidecar);
    }

    [Fact]
    public async Task ForwardTunnel_PassesThroughAnNtlmProxy()
    {
        var opened = proxies.NtlmOnly.AuthenticatedUsers.Count;
        await using var sidecar = await SidecarProcess.StartAsync(
            ForwardProxy.ForwardProxyClients.WithForwardListener(Environment(proxies.NtlmOnly, NtlmProxyFixture.Password), chain));

        await ForwardProxy.ForwardProxyClients.AssertTunnelToTheUpstreamAsync(sidecar, chain);

        Assert.Contains(DomainUser, proxies.NtlmOnly.AuthenticatedUsers.Skip(opened));
    }

    [Fact]
    public async Task WrongPassword_IsProxyAuthFailed_NamingNtlm()
    {
        var rejected = proxies.NtlmOnly.RejectedHandshakes;

        var (answer, output) = await ReadmeCheck.FailingPortalCheckAsync(Environment(proxies.NtlmOnly, "wr0ng-Ntlm-pw"));

        answer.AssertIs(HttpStatusCode.BadGateway, "proxy_auth_failed", "proxy");
        Assert.Contains("NTLM", answer.Message);
        Assert.True(proxies.NtlmOnly.RejectedHandshakes > rejected, "gss-ntlmssp did not reject the handshake");
        Assert.DoesNotContain("wr0ng-Ntlm-pw", output);
    }

    [Fact]
    public async Task ForcedNtlm_AnswersAProxyOfferingNegotiateFirst_WithNtlm()
    {
        var proxy = proxies.NegotiateThenNtlm;
        var schemesBefore = proxy.ReceivedSchemes.Count;
        var environment = Environment(proxy, NtlmProxyFixture.Password);
        environment["PROXY_AUTH"] = "ntlm";
        await using var sidecar = await SidecarProcess.StartAsync(environment);

        await ReadmeCheck.AssertBothRoutesPassAsync(sidecar);

        Assert.All(proxy.ReceivedSchemes.Skip(schemesBefore), scheme => Assert.Equal("NTLM", scheme));
    }

    [Fact]
    public async Task NewTunnel_CostsThreeConnectsOnOneConnection()
    {
        var proxy = proxies.NtlmOnly;
        var (connectionsBefore, requestsBefore) = (proxy.AcceptedConnections, proxy.Requests);
        await using var sidecar = await SidecarProcess.StartAsync(Environment(proxy, NtlmProxyFixture.Password));
        using var client = TestHttpClients.Direct();

        using var first = await client.GetAsync(new Uri(sidecar.BackendUri, "/transactions/authorize.xml"));
        using var second = await client.GetAsync(new Uri(sidecar.BackendUri, "/transactions/authorize.xml"));

        Assert.Equal(HttpStatusCode.Forbidden, second.StatusCode);
        // 407 offering NTLM, then Type 1 -> 407 with the challenge, then Type 3 -> 200; the second request reuses the tunnel.
        Assert.Equal((1, 3), (proxy.AcceptedConnections - connectionsBefore, proxy.Requests - requestsBefore));
    }

    private Dictionary<string, string> Environment(NtlmConnectProxy proxy, string password)
    {
        var environment = chain.SidecarEnvironment(chain.Squid);
        environment["https_proxy"] = proxy.ProxyUri.ToString();
        environment["PROXY_USERNAME"] = DomainUser;
        environment["PROXY_PASSWORD"] = password;
        return environment;
    }
}
