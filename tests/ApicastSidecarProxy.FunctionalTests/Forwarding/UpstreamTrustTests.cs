using System.Net;
using ApicastSidecarProxy.FunctionalTests.Failures;
using ApicastSidecarProxy.FunctionalTests.Infrastructure;

namespace ApicastSidecarProxy.FunctionalTests.Forwarding;

/// <summary>UPSTREAM_CA_FILE adds trust beside the system store; it never replaces it, and never waives the name check.</summary>
[Collection(ProxyChainCollection.Name)]
public class UpstreamTrustTests(ProxyChainFixture chain)
{
    [Fact]
    public async Task SystemStoreStaysTrusted_WhenAnExtraBundleIsSet()
    {
        using var unrelated = TestCertificateAuthority.CreateUnrelated();
        var environment = chain.SidecarEnvironment(chain.Tinyproxy);
        environment["SSL_CERT_FILE"] = chain.Ca.CaPemPath; // OpenSSL's system store, as far as the sidecar can tell
        environment["UPSTREAM_CA_FILE"] = unrelated.CaPemPath;
        await using var sidecar = await SidecarProcess.StartAsync(environment);
        using var client = TestHttpClients.Direct();

        using var response = await client.GetAsync(new Uri(sidecar.BackendUri, "/transactions/authorize.xml"));

        Assert.True(response.StatusCode == HttpStatusCode.Forbidden, await response.Content.ReadAsStringAsync());
        Assert.False(response.Headers.Contains("X-Sidecar-Error"));
    }

    [Fact]
    public async Task CertificateForAnotherName_IsRejected_EvenFromATrustedCa()
    {
        using var otherNameCa = new TestCertificateAuthority("Other name CA", serverName: "other.example");
        await using var upstream = await FakeThreescaleUpstream.StartHttpsAsync(otherNameCa.ServerCertificate);
        var environment = chain.SidecarEnvironment(chain.Tinyproxy);
        environment["BACKEND_ENDPOINT_OVERRIDE"] = upstream.BaseUri.ToString();
        environment["UPSTREAM_CA_FILE"] = otherNameCa.CaPemPath;
        await using var sidecar = await SidecarProcess.StartAsync(environment);
        using var client = TestHttpClients.Direct();

        using var response = await client.GetAsync(new Uri(sidecar.BackendUri, "/transactions/authorize.xml"));
        var answer = await SidecarErrorAnswer.ReadAsync(response);

        answer.AssertIs(HttpStatusCode.BadGateway, "upstream_tls_failed", "upstream");
        Assert.Contains("does not name the upstream host", answer.Message);
        Assert.Equal(0, upstream.RequestCount);
    }
}
