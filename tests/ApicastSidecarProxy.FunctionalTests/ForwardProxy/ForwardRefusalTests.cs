using ApicastSidecarProxy.FunctionalTests.Infrastructure;

namespace ApicastSidecarProxy.FunctionalTests.ForwardProxy;

/// <summary>
/// The forward listener is never an open relay: a destination off the allow-list, an origin-form request or a
/// malformed target is refused without connecting anywhere. Canaries stand in for the forbidden host and for the proxy.
/// </summary>
public sealed class ForwardRefusalTests : IAsyncLifetime
{
    private readonly CanaryListener _forbiddenHost = new();
    private readonly CanaryListener _proxy = new();
    private SidecarProcess _sidecar = null!;

    public async Task InitializeAsync() => _sidecar = await SidecarProcess.StartAsync(new Dictionary<string, string>
    {
        ["THREESCALE_PORTAL_ENDPOINT"] = "https://portal.example.org",
        ["https_proxy"] = $"http://127.0.0.1:{_proxy.Port}",
        ["http_proxy"] = $"http://127.0.0.1:{_proxy.Port}",
        ["FORWARD_PROXY_PORT"] = "0",
        ["FORWARD_PROXY_ALLOW"] = "keycloak.example.org:8443,*.auth0.example.com",
    });

    [Theory]
    [InlineData("CONNECT localhost:{0} HTTP/1.1\r\nHost: localhost:{0}\r\n\r\n", 403, "forward_denied")]
    [InlineData("CONNECT 127.0.0.1:{0} HTTP/1.1\r\n\r\n", 403, "forward_denied")]
    [InlineData("CONNECT keycloak.example.org:443 HTTP/1.1\r\n\r\n", 403, "forward_denied")] // listed with another port
    [InlineData("CONNECT auth0.example.com:443 HTTP/1.1\r\n\r\n", 403, "forward_denied")]   // *.domain is not the domain
    [InlineData("CONNECT evil.com:443#.auth0.example.com HTTP/1.1\r\n\r\n", 400, "bad_request_target")]
    [InlineData("CONNECT localhost HTTP/1.1\r\n\r\n", 400, "bad_request_target")]
    [InlineData("CONNECT localhost:{0} HTTP/1.1\r\nbroken header line\r\n\r\n", 400, "bad_request_target")]
    [InlineData("CONNECT localhost:{0} HTTP/1.1\r\n folded: line\r\n\r\n", 400, "bad_request_target")]
    [InlineData("CONNECT localhost:{0} HTTP/1.1\nHost: localhost\n\n", 400, "bad_request_target")]
    [InlineData("GET http://localhost:{0}/ HTTP/1.1\r\nHost: localhost:{0}\r\nConnection: close\r\n\r\n", 403, "forward_denied")]
    [InlineData("GET http://keycloak.example.org/realms HTTP/1.1\r\nHost: keycloak.example.org\r\nConnection: close\r\n\r\n", 403, "forward_denied")]
    [InlineData("GET /admin/api/services.json HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n", 400, "origin_form_refused")]
    [InlineData("GET https://keycloak.example.org:8443/ HTTP/1.1\r\nHost: keycloak.example.org:8443\r\nConnection: close\r\n\r\n", 400, "origin_form_refused")]
    [InlineData("GET http://user:pw@keycloak.example.org:8443/ HTTP/1.1\r\nHost: keycloak.example.org:8443\r\nConnection: close\r\n\r\n", 400, "origin_form_refused")]
    public async Task Refused_WithoutConnectingAnywhere(string request, int status, string code)
    {
        var answer = await RawHttp.ExchangeAsync(_sidecar.Route("forward"), string.Format(request, _forbiddenHost.Port));

        Assert.Equal(status, RawHttp.StatusOf(answer));
        Assert.Contains($"X-Sidecar-Error: {code}", answer);
        await _sidecar.WaitForAccessLogAsync(code);
        Assert.Equal(0, _forbiddenHost.Accepted);
        Assert.Equal(0, _proxy.Accepted);
    }

    public async Task DisposeAsync()
    {
        await _sidecar.DisposeAsync();
        _forbiddenHost.Dispose();
        _proxy.Dispose();
    }
}
