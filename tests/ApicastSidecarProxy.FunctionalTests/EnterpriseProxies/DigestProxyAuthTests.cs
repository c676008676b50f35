using System.Net;
using ApicastSidecarProxy.FunctionalTests.Infrastructure;

namespace ApicastSidecarProxy.FunctionalTests.EnterpriseProxies;

/// <summary>Digest against squid's real digest_file_auth helper, and forcing a scheme with PROXY_AUTH.</summary>
[Collection(EnterpriseProxyCollection.Name)]
public class DigestProxyAuthTests(ProxyChainFixture chain, DigestSquidFixture squids) : IClassFixture<DigestSquidFixture>
{
    [Fact]
    public async Task BothRoutes_PassThroughSquidOfferingOnlyDigest()
    {
        var before = squids.DigestOnly.CountAuthorizedConnects(chain.Upstream.HostPort);
        await using var sidecar = await SidecarProcess.StartAsync(Environment(squids.DigestOnly, DigestSquidFixture.Password));

        await ReadmeCheck.AssertBothRoutesPassAsync(sidecar);

        await sidecar.DisposeAsync(); // squid logs a tunnel when it closes
        Assert.True(await squids.DigestOnly.WaitForConnectsAsync(chain.Upstream.HostPort, before + 1, TimeSpan.FromSeconds(10), authorizedOnly: true) > before,
            squids.DigestOnly.ReadLog());
    }

    [Theory]
    [InlineData("digest")]
    [InlineData("basic")]
    public async Task NewTunnel_CostsOne407AndOneAuthenticatedConnect_OnOneConnection(string scheme)
    {
        var squid = squids.DigestAndBasic;
        var hostPort = chain.Upstream.HostPort;
        var (allBefore, authorizedBefore) = (squid.CountConnects(hostPort), squid.CountAuthorizedConnects(hostPort));
        var environment = Environment(squid, DigestSquidFixture.Password);
        environment["PROXY_AUTH"] = scheme;
        await using var sidecar = await SidecarProcess.StartAsync(environment);
        using var client = TestHttpClients.Direct();

        using var first = await client.GetAsync(new Uri(sidecar.BackendUri, "/transactions/authorize.xml"));
        using var second = await client.GetAsync(new Uri(sidecar.BackendUri, "/transactions/authorize.xml"));
        var connections = await SidecarMetricsReader.SumAsync(sidecar, "apicast_sidecar_proxy_connections_opened_total");
        await sidecar.DisposeAsync(); // squid logs a tunnel when it closes

        Assert.Equal(HttpStatusCode.Forbidden, second.StatusCode);
        await squid.WaitForConnectsAsync(hostPort, authorizedBefore + 1, TimeSpan.FromSeconds(10), authorizedOnly: true);
        var authorized = squid.CountAuthorizedConnects(hostPort) - authorizedBefore;
        var denied = squid.CountConnects(hostPort) - allBefore - authorized;
        Assert.True((denied, authorized, connections) == (1, 1, 1), $"407s {denied}, tunnels {authorized}, connections {connections}");
    }

    [Fact]
    public async Task ForwardTunnel_PassesThroughSquidOfferingOnlyDigest()
    {
        await using var sidecar = await SidecarProcess.StartAsync(
            ForwardProxy.ForwardProxyClients.WithForwardListener(Environment(squids.DigestOnly, DigestSquidFixture.Password), chain));

        await ForwardProxy.ForwardProxyClients.AssertTunnelToTheUpstreamAsync(sidecar, chain);
    }

    [Fact]
    public async Task WrongPassword_ThroughSquidDigest_IsProxyAuthFailed_NamingDigest()
    {
        var (answer, output) = await ReadmeCheck.FailingPortalCheckAsync(Environment(squids.DigestOnly, "wr0ng-Digest"));

        answer.AssertIs(HttpStatusCode.BadGateway, "proxy_auth_failed", "proxy");
        Assert.Contains("Digest", answer.Message);
        Assert.DoesNotContain("wr0ng-Digest", output);
    }

    [Fact]
    public async Task Auto_PrefersDigestOverBasic_WhenSquidOffersBoth()
    {
        var (answer, _) = await ReadmeCheck.FailingPortalCheckAsync(Environment(squids.DigestAndBasic, "wr0ng-Digest"));

        answer.AssertIs(HttpStatusCode.BadGateway, "proxy_auth_failed", "proxy");
        Assert.Contains("Digest", answer.Message);
    }

    [Theory]
    [InlineData("basic")]
    [InlineData("digest")]
    public async Task ForcedScheme_PassesThroughSquidOfferingDigestAndBasic(string scheme)
    {
        var environment = Environment(squids.DigestAndBasic, DigestSquidFixture.Password);
        environment["PROXY_AUTH"] = scheme;
        await using var sidecar = await SidecarProcess.StartAsync(environment);

        await ReadmeCheck.AssertBothRoutesPassAsync(sidecar);
    }

    [Fact]
    public async Task ForcedBasic_WithAWrongPassword_IsProxyAuthFailed_NamingBasic()
    {
        var environment = Environment(squids.DigestAndBasic, "wr0ng-Basic");
        environment["PROXY_AUTH"] = "basic";

        var (answer, _) = await ReadmeCheck.FailingPortalCheckAsync(environment);

        answer.AssertIs(HttpStatusCode.BadGateway, "proxy_auth_failed", "proxy");
        Assert.Contains("Basic", answer.Message);
    }

    private Dictionary<string, string> Environment(SquidProcess squid, string password)
    {
        var environment = chain.SidecarEnvironment(squid);
        environment["https_proxy"] = squid.ProxyUri.ToString();
        environment["PROXY_USERNAME"] = DigestSquidFixture.User;
        environment["PROXY_PASSWORD"] = password;
        return environment;
    }
}
