using System.Diagnostics;
using System.Net;
using ApicastSidecarProxy.FunctionalTests.Infrastructure;

namespace ApicastSidecarProxy.FunctionalTests.InfrastructureTests;

public sealed class SquidProcessTests : IAsyncLifetime
{
    private const string User = "alice";
    private const string Password = "p@ss%word!";
    private readonly TestCertificateAuthority _ca = new();
    private FakeThreescaleUpstream _upstream = null!;
    private SquidProcess _proxy = null!;

    public async Task InitializeAsync()
    {
        _upstream = await FakeThreescaleUpstream.StartHttpsAsync(_ca.ServerCertificate);
        _proxy = await SquidProcess.StartAsync(User, Password);
    }

    public async Task DisposeAsync()
    {
        await _proxy.DisposeAsync();
        await _upstream.DisposeAsync();
        _ca.Dispose();
    }

    [Fact]
    public async Task Https_request_tunnels_through_squid_and_is_logged_as_CONNECT()
    {
        using (var client = TestHttpClients.ThroughProxy(_proxy.ProxyUri, new NetworkCredential(User, Password), _ca))
        {
            using var response = await client.GetAsync(_upstream.Url("/admin/api/accounts.xml"));

            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Contains("<error>Access denied</error>", await response.Content.ReadAsStringAsync());
        }

        // squid writes the access.log line when the tunnel closes, i.e. after the client is disposed.
        Assert.Equal(1, await _proxy.WaitForConnectsAsync(_upstream.HostPort, 1, TimeSpan.FromSeconds(10), authorizedOnly: true));
        Assert.Equal(1, _upstream.RequestCount);
    }

    [Fact]
    public async Task Wrong_password_is_answered_407_by_squid()
    {
        using var client = TestHttpClients.ThroughProxy(_proxy.ProxyUri, new NetworkCredential(User, "p@ss%word?"), _ca);

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync(_upstream.Url("/admin/api/accounts.xml")));

        Assert.Equal(HttpRequestError.ProxyTunnelError, error.HttpRequestError);
        Assert.Contains("407", error.Message);
        Assert.True(await _proxy.WaitForConnectsAsync(_upstream.HostPort, 1, TimeSpan.FromSeconds(10)) >= 1);
        Assert.Equal(0, _proxy.CountAuthorizedConnects(_upstream.HostPort));
        Assert.Equal(0, _upstream.RequestCount);
    }

    [Fact]
    public async Task Restart_serves_again_on_the_same_port()
    {
        var port = _proxy.Port;

        await _proxy.RestartAsync();

        Assert.Equal(port, _proxy.Port);
        using var client = TestHttpClients.ThroughProxy(_proxy.ProxyUri, new NetworkCredential(User, Password), _ca);
        using var response = await client.GetAsync(_upstream.Url("/transactions/authorize.xml"));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Curl_tunnels_with_the_percent_encoded_proxy_url_and_the_CA_PEM_file()
    {
        Assert.Equal($"http://alice:p%40ss%25word%21@127.0.0.1:{_proxy.Port}", _proxy.ProxyUrlWithCredentials);
        var startInfo = new ProcessStartInfo(ExecutableLocator.Find("curl", "Install it: apt-get install curl."))
        {
            ArgumentList = { "-sS", "-x", _proxy.ProxyUrlWithCredentials, "--cacert", _ca.CaPemPath, "-o", "/dev/null",
                "-w", "%{http_code}", _upstream.Url("/admin/api/accounts.xml").ToString() },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };

        using var process = Process.Start(startInfo)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var status = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.True(process.ExitCode == 0, $"curl exit {process.ExitCode}: {await stderr}");
        Assert.Equal("403", status);
        Assert.Equal(1, await _proxy.WaitForConnectsAsync(_upstream.HostPort, 1, TimeSpan.FromSeconds(10), authorizedOnly: true));
    }

    [Fact]
    public async Task Without_credentials_squid_lets_loopback_clients_in()
    {
        await using var open = await SquidProcess.StartAsync(null, null);
        using var client = TestHttpClients.ThroughProxy(open.ProxyUri, credentials: null, _ca);

        using var response = await client.GetAsync(_upstream.Url("/transactions/authorize.xml"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Null(open.Credentials);
    }
}
