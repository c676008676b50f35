using System.Net;
using System.Text;
using System.Text.Json;
using ApicastSidecarProxy.FunctionalTests.Infrastructure;

namespace ApicastSidecarProxy.FunctionalTests.Forwarding;

/// <summary>What the upstream receives: its own Host, the route's credentials, the path prefix, the query as sent.</summary>
[Collection(ProxyChainCollection.Name)]
public class RequestShapingTests(ProxyChainFixture chain)
{
    private const string AccessToken = "portal-access-t0ken";

    [Fact]
    public async Task UpstreamReceivesItsOwnHost_NoForwardedHeaders_NoClientProxyAuthorization()
    {
        await using var sidecar = await SidecarProcess.StartAsync(chain.SidecarEnvironment(chain.Tinyproxy));
        using var client = TestHttpClients.Direct();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(sidecar.BackendUri, "/echo"));
        request.Headers.Host = "forged.example";
        request.Headers.Add("Proxy-Authorization", "Basic Y2xpZW50OnNlY3JldA==");
        request.Headers.Add("X-Forwarded-For", "10.9.8.7");
        request.Headers.Connection.Add("X-Internal-Hop");
        request.Headers.Add("X-Internal-Hop", "10.0.0.7");
        request.Headers.Add("3scale-options", "rejection_reason_header=1&limit_headers=1");

        var echo = await EchoAsync(client, request);

        Assert.Equal(chain.Upstream.HostPort, Header(echo, "Host"));
        Assert.Null(Header(echo, "Proxy-Authorization"));
        Assert.Equal("10.9.8.7", Header(echo, "X-Forwarded-For")); // the client's own header passes; the sidecar adds none
        Assert.Null(Header(echo, "X-Forwarded-Host"));
        Assert.Null(Header(echo, "X-Forwarded-Proto"));
        Assert.Null(Header(echo, "X-Internal-Hop"));
        Assert.Equal("rejection_reason_header=1&limit_headers=1", Header(echo, "3scale-options"));
    }

    [Fact]
    public async Task PortalUserInfo_BecomesBasicAuthorization_OnlyWhenTheClientSentNone()
    {
        var environment = chain.SidecarEnvironment(chain.Tinyproxy);
        environment["THREESCALE_PORTAL_ENDPOINT"] = $"https://{AccessToken}@{chain.Upstream.HostPort}";
        await using var sidecar = await SidecarProcess.StartAsync(environment);
        using var client = TestHttpClients.Direct();

        var withoutAuthorization = await EchoAsync(client, new HttpRequestMessage(HttpMethod.Get, new Uri(sidecar.PortalUri, "/echo")));
        using var withAuthorization = new HttpRequestMessage(HttpMethod.Get, new Uri(sidecar.PortalUri, "/echo"));
        withAuthorization.Headers.Add("Authorization", "Basic Y2xpZW50LXRva2VuOg==");
        var clientAuthorization = await EchoAsync(client, withAuthorization);

        var expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(AccessToken + ":"));
        Assert.Equal(expected, Header(withoutAuthorization, "Authorization"));
        Assert.Equal("Basic Y2xpZW50LXRva2VuOg==", Header(clientAuthorization, "Authorization"));
        Assert.DoesNotContain(AccessToken, sidecar.Output);
    }

    [Fact]
    public async Task PathPrefixIsKept_AndQueryPassesByteForByte()
    {
        var environment = chain.SidecarEnvironment(chain.Tinyproxy);
        environment["BACKEND_ENDPOINT_OVERRIDE"] = new Uri(chain.Upstream.BaseUri, "/prefix/v2").ToString();
        await using var sidecar = await SidecarProcess.StartAsync(environment);
        using var client = TestHttpClients.Direct();
        const string query = "?service_token=T&service_id=42&user_key=K&usage%5Bhits%5D=1&x=a%2Fb+c";

        var echo = await EchoAsync(client, new HttpRequestMessage(HttpMethod.Get, new Uri(sidecar.BackendUri, "/echo/transactions/authrep.xml" + query)));

        Assert.Equal("/prefix/v2/echo/transactions/authrep.xml", echo.GetProperty("path").GetString());
        Assert.Equal(query, echo.GetProperty("query").GetString());
    }

    [Fact]
    public async Task EncodedPath_ReachesTheUpstreamAsSent()
    {
        await using var sidecar = await SidecarProcess.StartAsync(chain.SidecarEnvironment(chain.Tinyproxy));
        using var client = TestHttpClients.Direct();
        const string target = "/echo/admin/api/services/a%2Fb/c%7E.json?x=a%2Fb";

        var echo = await EchoAsync(client, new HttpRequestMessage(HttpMethod.Get, new Uri(sidecar.PortalUri + target[1..], new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true })));

        Assert.Equal(target, echo.GetProperty("rawTarget").GetString());
    }

    [Fact]
    public async Task FormEncodedReport_IsPostedOnceWithItsBody()
    {
        await using var sidecar = await SidecarProcess.StartAsync(chain.SidecarEnvironment(chain.Squid));
        using var client = TestHttpClients.Direct();
        const string report = "service_token=T&service_id=42&transactions%5B0%5D%5Buser_key%5D=K&transactions%5B0%5D%5Busage%5D%5Bhits%5D=3";
        var before = chain.Upstream.Requests.Count(r => r.PathAndQuery == "/echo/transactions.xml");

        var echo = await EchoAsync(client, new HttpRequestMessage(HttpMethod.Post, new Uri(sidecar.BackendUri, "/echo/transactions.xml"))
        {
            Content = new StringContent(report, Encoding.ASCII, "application/x-www-form-urlencoded"),
        });

        Assert.Equal("POST", echo.GetProperty("method").GetString());
        Assert.Equal(report.Length, echo.GetProperty("bodyLength").GetInt64());
        Assert.Equal(before + 1, chain.Upstream.Requests.Count(r => r.PathAndQuery == "/echo/transactions.xml"));
    }

    private static async Task<JsonElement> EchoAsync(HttpClient client, HttpRequestMessage request)
    {
        using (request)
        using (var response = await client.SendAsync(request))
        {
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {body}");
            return JsonDocument.Parse(body).RootElement.Clone();
        }
    }

    private static string? Header(JsonElement echo, string name)
    {
        foreach (var header in echo.GetProperty("headers").EnumerateObject())
        {
            if (header.Name.Equals(name, StringComparison.OrdinalIgnoreCase)) return header.Value[0].GetString();
        }

        return null;
    }
}
