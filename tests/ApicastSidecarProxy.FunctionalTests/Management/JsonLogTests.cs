using System.Net;
using System.Text.Json;
using ApicastSidecarProxy.FunctionalTests.Infrastructure;

namespace ApicastSidecarProxy.FunctionalTests.Management;

/// <summary>LOG_FORMAT=json: one object per line with stable fields; LOG_LEVEL=debug adds redacted headers.</summary>
[Collection(ProxyChainCollection.Name)]
public class JsonLogTests(ProxyChainFixture chain)
{
    private const string UserKey = "json-log-user-k3y";
    private const string AccessToken = "json-log-access-t0ken";

    [Fact]
    public async Task JsonLines_Parse_CarryTheAccessFields_AndNoSecret()
    {
        var environment = chain.SidecarEnvironment(chain.Squid);
        environment["LOG_FORMAT"] = "json";
        environment["LOG_LEVEL"] = "debug";
        environment["THREESCALE_PORTAL_ENDPOINT"] = $"https://{AccessToken}@{chain.Upstream.HostPort}";
        await using var sidecar = await SidecarProcess.StartAsync(environment);
        using var client = TestHttpClients.Direct();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(sidecar.PortalUri, $"/admin/api/accounts.xml?user_key={UserKey}"));
        request.Headers.Add("Cookie", "session=json-log-c00kie");
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);

        var accessLine = await sidecar.WaitForLineAsync(line => line.Contains("\"Category\":\"access\"") && line.Contains("\"Status\":403"));
        var lines = sidecar.OutputLines;
        var documents = lines.Select(line => JsonDocument.Parse(line).RootElement).ToList(); // every line is one object
        var access = JsonDocument.Parse(accessLine).RootElement.GetProperty("State");

        Assert.All(documents, d => Assert.True(d.TryGetProperty("Timestamp", out _) && d.TryGetProperty("LogLevel", out _)));
        Assert.Equal("portal", access.GetProperty("Route").GetString());
        Assert.Equal("GET", access.GetProperty("Method").GetString());
        Assert.Equal("/admin/api/accounts.xml?user_key=***", access.GetProperty("Path").GetString());
        Assert.Contains(lines, line => line.Contains("request headers") && line.Contains("Cookie: ***"));
        var output = sidecar.Output;
        Assert.DoesNotContain(UserKey, output);
        Assert.DoesNotContain(AccessToken, output);
        Assert.DoesNotContain("json-log-c00kie", output);
        Assert.DoesNotContain(ProxyChainFixture.SquidPassword, output);
    }
}
