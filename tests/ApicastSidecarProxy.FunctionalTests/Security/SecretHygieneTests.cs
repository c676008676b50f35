using ApicastSidecarProxy.FunctionalTests.Infrastructure;

namespace ApicastSidecarProxy.FunctionalTests.Security;

/// <summary>Known secrets go through successes and failures; none may appear in logs or error bodies.</summary>
[Collection(ProxyChainCollection.Name)]
public class SecretHygieneTests(ProxyChainFixture chain)
{
    private const string AccessToken = "hygiene-access-t0ken";
    private const string ServiceToken = "hygiene-service-t0ken";
    private const string UserKey = "hygiene-user-k3y";
    private const string WrongProxyPassword = "hygiene-wr0ng-pass";

    [Fact]
    public async Task NoSecretAppearsInLogsOrErrorBodies()
    {
        var captured = new List<string>();

        var environment = chain.SidecarEnvironment(chain.Squid);
        environment["THREESCALE_PORTAL_ENDPOINT"] = $"https://{AccessToken}@{chain.Upstream.HostPort}";
        environment["UPSTREAM_TIMEOUT"] = "10"; // a cold tunnel on a loaded machine must fit in it; /slow still exceeds it
        environment["CONNECT_TIMEOUT"] = "10";
        await using (var sidecar = await SidecarProcess.StartAsync(environment))
        {
            using var client = TestHttpClients.Direct();
            var query = $"?service_token={ServiceToken}&service_id=42&user_key={UserKey}&usage%5Bhits%5D=1";
            var echo = await client.GetStringAsync(new Uri(sidecar.PortalUri, "/echo" + query));
            Assert.Contains(ServiceToken, echo); // the upstream gets the query untouched; only the logs mask it
            captured.Add(await BodyAsync(client, new Uri(sidecar.BackendUri, "/transactions/authrep.xml" + query)));
            captured.Add(await BodyAsync(client, new Uri(sidecar.BackendUri, "/slow?ms=30000&" + query[1..])));
            await sidecar.WaitForAccessLogAsync("upstream_timeout");
            await sidecar.DisposeAsync();
            captured.AddRange(sidecar.OutputLines);
        }

        environment["https_proxy"] = $"http://{ProxyChainFixture.SquidUser}:{WrongProxyPassword}@127.0.0.1:{chain.Squid.Port}";
        environment.Remove("UPSTREAM_CA_FILE");
        await using (var sidecar = await SidecarProcess.StartAsync(environment))
        {
            using var client = TestHttpClients.Direct();
            captured.Add(await BodyAsync(client, new Uri(sidecar.PortalUri, "/admin/api/accounts.xml?access_token=" + AccessToken)));
            await sidecar.WaitForAccessLogAsync("proxy_auth_failed");
            await sidecar.DisposeAsync();
            captured.AddRange(sidecar.OutputLines);
        }

        var everything = string.Join('\n', captured);
        Assert.Contains("error=upstream_timeout", everything); // the failures did happen and were logged
        Assert.Contains("error=proxy_auth_failed", everything);
        Assert.Contains("service_token=***", everything);
        foreach (var secret in new[] { AccessToken, ServiceToken, UserKey, WrongProxyPassword, ProxyChainFixture.SquidPassword,
                     Uri.EscapeDataString(ProxyChainFixture.SquidPassword) })
        {
            Assert.DoesNotContain(secret, everything);
        }
    }

    private static async Task<string> BodyAsync(HttpClient client, Uri uri)
    {
        using var response = await client.GetAsync(uri);
        return await response.Content.ReadAsStringAsync();
    }
}
