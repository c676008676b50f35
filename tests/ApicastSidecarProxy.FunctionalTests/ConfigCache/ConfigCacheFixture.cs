using System.Net.Http.Headers;
using ApicastSidecarProxy.FunctionalTests.Infrastructure;

namespace ApicastSidecarProxy.FunctionalTests.ConfigCache;

/// <summary>
/// A test CA and the fake admin portal, shared by a test class. Each test starts its own tinyproxy (Basic auth) and
/// sidecar, so it can stop the proxy to make an outage without disturbing other tests.
/// </summary>
public sealed class ConfigCacheFixture : IAsyncLifetime
{
    public const string Token = "apicast-access-t0ken-1";
    public const string OtherToken = "other-access-t0ken-2";
    public const string ProxyUser = "cache";
    public const string ProxyPassword = "cache-proxy-pw-1";

    /// <summary>What APIcast's remote_v2 loader asks the portal for, in its three modes.</summary>
    public static readonly string[] ApicastRequests =
    [
        "/admin/api/account/proxy_configs/production.json?version=latest&page=1&per_page=500",
        "/admin/api/account/proxy_configs/production.json?version=latest&page=2&per_page=500",
        "/admin/api/account/proxy_configs/production.json?host=api.example.com&version=latest&page=1&per_page=500",
        "/admin/api/services.json?page=1&per_page=500",
        "/admin/api/services/42/proxy/configs/production/latest.json",
        "/admin/api/services/43/proxy/configs/production/7.json",
    ];

    public TestCertificateAuthority Ca { get; } = new();

    public FakeAdminPortal Portal { get; private set; } = null!;

    public async Task InitializeAsync() => Portal = await FakeAdminPortal.StartAsync(Ca, Token, OtherToken);

    public Task<TinyproxyProcess> StartProxyAsync() => TinyproxyProcess.StartAsync(ProxyUser, ProxyPassword);

    /// <summary>Both routes to the fake portal through <paramref name="proxy"/>, trusting the test CA.</summary>
    public Dictionary<string, string> SidecarEnvironment(ForwardProxyProcess proxy) => new()
    {
        ["THREESCALE_PORTAL_ENDPOINT"] = Portal.BaseUri.ToString(),
        ["BACKEND_ENDPOINT_OVERRIDE"] = Portal.BaseUri.ToString(),
        ["https_proxy"] = proxy.ProxyUrlWithCredentials,
        ["UPSTREAM_CA_FILE"] = Ca.CaPemPath,
    };

    /// <summary>A GET as APIcast sends it: the token as Basic credentials, APIcast's User-Agent.</summary>
    public static async Task<Answer> GetAsync(HttpClient client, Uri route, string target, string token = Token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(route, target));
        request.Headers.Authorization = AuthenticationHeaderValue.Parse(FakeAdminPortal.Authorization(token));
        request.Headers.UserAgent.ParseAdd("APIcast/3.15");
        using var response = await client.SendAsync(request);
        return await Answer.ReadAsync(response);
    }

    public async Task DisposeAsync()
    {
        await (Portal?.DisposeAsync() ?? ValueTask.CompletedTask);
        Ca.Dispose();
    }
}

/// <summary>What the client got: status, the cache's headers, the body.</summary>
public sealed record Answer(System.Net.HttpStatusCode Status, string? Cache, string? Error, long? Age, string? ContentType, byte[] Body)
{
    public bool IsStale => Cache == "stale";

    public static async Task<Answer> ReadAsync(HttpResponseMessage response) => new(
        response.StatusCode,
        Header(response, "X-Sidecar-Cache"),
        Header(response, "X-Sidecar-Error"),
        response.Headers.Age is { } age ? (long)age.TotalSeconds : null,
        response.Content.Headers.ContentType?.ToString(),
        await response.Content.ReadAsByteArrayAsync());

    public string Text => System.Text.Encoding.UTF8.GetString(Body);

    public override string ToString() => $"{(int)Status} cache={Cache} error={Error} age={Age} {Text[..Math.Min(200, Text.Length)]}";

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : null;
}
