using System.Net;
using ApicastSidecarProxy.FunctionalTests.Infrastructure;

namespace ApicastSidecarProxy.FunctionalTests.Forwarding;

/// <summary>The two checks the original documentation tells users to run, through each real proxy.</summary>
[Collection(ProxyChainCollection.Name)]
public class ReadmeChecksTests(ProxyChainFixture chain)
{
    [Theory]
    [InlineData("tinyproxy")]
    [InlineData("squid")]
    public async Task PortalAccountsCheck_Returns403AccessDenied_ThroughTheProxy(string proxyName)
    {
        var proxy = chain.Proxy(proxyName);
        var connectsBefore = proxy.CountAuthorizedConnects(chain.Upstream.HostPort);
        await using var sidecar = await SidecarProcess.StartAsync(chain.SidecarEnvironment(proxy));
        using var client = TestHttpClients.Direct();

        using var response = await client.GetAsync(new Uri(sidecar.PortalUri, "/admin/api/accounts.xml"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("Access denied", await response.Content.ReadAsStringAsync());
        Assert.False(response.Headers.Contains("X-Sidecar-Error"));
        await sidecar.DisposeAsync(); // squid logs a tunnel when it closes.
        Assert.True(await proxy.WaitForConnectsAsync(chain.Upstream.HostPort, connectsBefore + 1, TimeSpan.FromSeconds(10), authorizedOnly: true) > connectsBefore,
            $"the proxy's log shows no authorized CONNECT to {chain.Upstream.HostPort}:\n{proxy.ReadLog()}");
    }

    [Theory]
    [InlineData("tinyproxy")]
    [InlineData("squid")]
    public async Task BackendAuthorizeCheck_Returns403XmlAndThreescaleHeaders_ThroughTheProxy(string proxyName)
    {
        var proxy = chain.Proxy(proxyName);
        await using var sidecar = await SidecarProcess.StartAsync(chain.SidecarEnvironment(proxy));
        using var client = TestHttpClients.Direct();

        using var response = await client.GetAsync(new Uri(sidecar.BackendUri, "/transactions/authorize.xml"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/vnd.3scale-v2.0+xml", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("provider_key_or_service_token_required", await response.Content.ReadAsStringAsync());
        Assert.Equal("provider_key_or_service_token_required", Assert.Single(response.Headers.GetValues("3scale-rejection-reason")));
        Assert.Equal("0", Assert.Single(response.Headers.GetValues("3scale-limit-remaining")));
        Assert.Equal("60", Assert.Single(response.Headers.GetValues("3scale-limit-reset")));
    }
}
