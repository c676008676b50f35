using System.Net;
using ApicastSidecarProxy.FunctionalTests.Infrastructure;

namespace ApicastSidecarProxy.FunctionalTests.EnterpriseProxies;

/// <summary>
/// Kerberos end to end: an MIT KDC, the sidecar's GSSAPI getting its tickets from a client keytab (or a password), and
/// squid's negotiate_kerberos_auth checking them with the proxy's keytab.
/// </summary>
[Collection(EnterpriseProxyCollection.Name)]
public class KerberosProxyAuthTests(ProxyChainFixture chain, KerberosProxyFixture kerberos) : IClassFixture<KerberosProxyFixture>
{
    [Fact]
    public async Task BothRoutes_PassThroughSquidKerberos_WithAClientKeytab()
    {
        var ticketsBefore = kerberos.Realm.CountServiceTicketsIssued();
        var tunnelsBefore = kerberos.Squid.CountAuthorizedConnects(chain.Upstream.HostPort);
        await using var sidecar = await SidecarProcess.StartAsync(Environment(kerberos.Realm.ClientKeytabPath));

        await ReadmeCheck.AssertBothRoutesPassAsync(sidecar);

        await sidecar.DisposeAsync(); // squid logs a tunnel when it closes
        Assert.True(kerberos.Realm.CountServiceTicketsIssued() > ticketsBefore, "the KDC issued no ticket for HTTP/localhost");
        Assert.True(await kerberos.Squid.WaitForConnectsAsync(chain.Upstream.HostPort, tunnelsBefore + 1, TimeSpan.FromSeconds(10), authorizedOnly: true) > tunnelsBefore,
            kerberos.Squid.ReadLog());
        Assert.Contains($" {KerberosRealm.ClientPrincipal} ", kerberos.Squid.ReadLog()); // the user squid authenticated
    }

    [Fact]
    public async Task ForwardTunnel_PassesThroughSquidKerberos()
    {
        var ticketsBefore = kerberos.Realm.CountServiceTicketsIssued();
        await using var sidecar = await SidecarProcess.StartAsync(
            ForwardProxy.ForwardProxyClients.WithForwardListener(Environment(kerberos.Realm.ClientKeytabPath), chain));

        await ForwardProxy.ForwardProxyClients.AssertTunnelToTheUpstreamAsync(sidecar, chain);

        Assert.True(kerberos.Realm.CountServiceTicketsIssued() > ticketsBefore, "the KDC issued no ticket for HTTP/localhost");
    }

    [Fact]
    public async Task StaleKeytab_IsProxyAuthFailed_NamingNegotiate()
    {
        var (answer, _) = await ReadmeCheck.FailingPortalCheckAsync(Environment(kerberos.Realm.StaleClientKeytabPath));

        answer.AssertIs(HttpStatusCode.BadGateway, "proxy_auth_failed", "proxy");
        Assert.Contains("Negotiate", answer.Message);
    }

    [Fact]
    public async Task PrincipalAndPassword_GetATicketWithoutAKeytab()
    {
        var environment = chain.SidecarEnvironment(chain.Squid);
        foreach (var (name, value) in kerberos.Realm.ConfigEnvironment()) environment[name] = value;
        environment["https_proxy"] = kerberos.ProxyUrl;
        environment["PROXY_AUTH"] = "negotiate";
        environment["PROXY_USERNAME"] = $"{KerberosRealm.PasswordUserName}@{KerberosRealm.Name}";
        environment["PROXY_PASSWORD"] = KerberosRealm.PasswordUserPassword;
        await using var sidecar = await SidecarProcess.StartAsync(environment);

        await ReadmeCheck.AssertBothRoutesPassAsync(sidecar);
    }

    [Fact]
    public async Task NewTunnel_CostsOne407AndOneAuthenticatedConnect_OnOneConnection()
    {
        var hostPort = chain.Upstream.HostPort;
        var (allBefore, authorizedBefore) = (kerberos.Squid.CountConnects(hostPort), kerberos.Squid.CountAuthorizedConnects(hostPort));
        await using var sidecar = await SidecarProcess.StartAsync(Environment(kerberos.Realm.ClientKeytabPath));
        using var client = TestHttpClients.Direct();

        using var first = await client.GetAsync(new Uri(sidecar.BackendUri, "/transactions/authorize.xml"));
        using var response = await client.GetAsync(new Uri(sidecar.BackendUri, "/transactions/authorize.xml"));
        var connections = await SidecarMetricsReader.SumAsync(sidecar, "apicast_sidecar_proxy_connections_opened_total");
        await sidecar.DisposeAsync();

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        await kerberos.Squid.WaitForConnectsAsync(hostPort, authorizedBefore + 1, TimeSpan.FromSeconds(10), authorizedOnly: true);
        var authorized = kerberos.Squid.CountAuthorizedConnects(hostPort) - authorizedBefore;
        var denied = kerberos.Squid.CountConnects(hostPort) - allBefore - authorized;
        Assert.True((denied, authorized, connections) == (1, 1, 1), $"407s {denied}, tunnels {authorized}, connections {connections}");
    }

    [Fact]
    public async Task SecondNewTunnel_ReusesTheServiceTicket_WithoutAskingTheKdcAgain()
    {
        var environment = Environment(kerberos.Realm.ClientKeytabPath);
        // A second upstream address (the certificate also names 127.0.0.1), so the backend route needs its own tunnel.
        environment["BACKEND_ENDPOINT_OVERRIDE"] = $"https://127.0.0.1:{chain.Upstream.BaseUri.Port}";
        var ticketsBefore = kerberos.Realm.CountServiceTicketsIssued();
        await using var sidecar = await SidecarProcess.StartAsync(environment);

        await ReadmeCheck.AssertBothRoutesPassAsync(sidecar);

        Assert.Equal(2, await SidecarMetricsReader.SumAsync(sidecar, "apicast_sidecar_proxy_connections_opened_total"));
        Assert.Equal(1, kerberos.Realm.CountServiceTicketsIssued() - ticketsBefore);
    }

    private Dictionary<string, string> Environment(string clientKeytab)
    {
        var environment = chain.SidecarEnvironment(chain.Squid);
        foreach (var (name, value) in kerberos.Realm.ClientEnvironment(clientKeytab)) environment[name] = value;
        environment["https_proxy"] = kerberos.ProxyUrl;
        environment["PROXY_AUTH"] = "negotiate";
        return environment;
    }
}
