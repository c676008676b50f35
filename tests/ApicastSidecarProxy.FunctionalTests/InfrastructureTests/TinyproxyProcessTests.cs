using System.Net;
using System.Net.Sockets;
using ApicastSidecarProxy.FunctionalTests.Infrastructure;

namespace ApicastSidecarProxy.FunctionalTests.InfrastructureTests;

public sealed class TinyproxyProcessTests : IAsyncLifetime
{
    private const string User = "alice";
    private const string Password = "s3cret.Pass-1_x";
    private readonly TestCertificateAuthority _ca = new();
    private FakeThreescaleUpstream _upstream = null!;
    private TinyproxyProcess _proxy = null!;

    public async Task InitializeAsync()
    {
        _upstream = await FakeThreescaleUpstream.StartHttpsAsync(_ca.ServerCertificate);
        _proxy = await TinyproxyProcess.StartAsync(User, Password);
    }

    public async Task DisposeAsync()
    {
        await _proxy.DisposeAsync();
        await _upstream.DisposeAsync();
        _ca.Dispose();
    }

    [Fact]
    public async Task Https_request_tunnels_through_tinyproxy_and_is_logged_as_CONNECT()
    {
        using var client = TestHttpClients.ThroughProxy(_proxy.ProxyUri, new NetworkCredential(User, Password), _ca);

        using var response = await client.GetAsync(_upstream.Url("/admin/api/accounts.xml"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/xml", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<error>Access denied</error>", await response.Content.ReadAsStringAsync());
        Assert.Equal(1, _upstream.RequestCount);
        Assert.Equal(1, await _proxy.WaitForConnectsAsync(_upstream.HostPort, 1, TimeSpan.FromSeconds(5), authorizedOnly: true));
        Assert.True(_proxy.CountConnects(_upstream.HostPort) >= 1);
    }

    [Fact]
    public async Task Wrong_password_is_answered_401_by_tinyproxy()
    {
        using var client = TestHttpClients.ThroughProxy(_proxy.ProxyUri, new NetworkCredential(User, "wrong"), _ca);

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync(_upstream.Url("/admin/api/accounts.xml")));

        Assert.Equal(HttpRequestError.ProxyTunnelError, error.HttpRequestError);
        Assert.Contains("401", error.Message);
        Assert.Equal(0, _upstream.RequestCount);
        Assert.Equal(0, _proxy.CountAuthorizedConnects(_upstream.HostPort));
    }

    [Fact]
    public async Task Stop_refuses_connections_and_restart_serves_again_on_the_same_port()
    {
        var port = _proxy.Port;
        await _proxy.StopAsync();
        Assert.Null(_proxy.Pid);
        using (var probe = new TcpClient())
        {
            await Assert.ThrowsAnyAsync<SocketException>(() => probe.ConnectAsync(IPAddress.Loopback, port));
        }

        await _proxy.RestartAsync();

        Assert.Equal(port, _proxy.Port);
        using var client = TestHttpClients.ThroughProxy(_proxy.ProxyUri, new NetworkCredential(User, Password), _ca);
        using var response = await client.GetAsync(_upstream.Url("/transactions/authorize.xml"));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Special_characters_in_the_password_are_rejected_up_front()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => TinyproxyProcess.StartAsync(User, "p@ss%word!"));
    }
}
