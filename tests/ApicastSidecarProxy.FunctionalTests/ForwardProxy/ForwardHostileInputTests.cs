using System.Net.Sockets;
using System.Text;
using ApicastSidecarProxy.FunctionalTests.Infrastructure;

namespace ApicastSidecarProxy.FunctionalTests.ForwardProxy;

/// <summary>Hostile and careless clients of the forward listener: bounded heads, bounded time, no leak.</summary>
public sealed class ForwardHostileInputTests : IAsyncLifetime
{
    private readonly CanaryListener _echo = new(echo: true);
    private SidecarProcess _sidecar = null!;

    private string Connect => $"CONNECT localhost:{_echo.Port} HTTP/1.1\r\nHost: localhost:{_echo.Port}\r\n\r\n";

    public async Task InitializeAsync() => _sidecar = await SidecarProcess.StartAsync(new Dictionary<string, string>
    {
        ["THREESCALE_PORTAL_ENDPOINT"] = "https://portal.example.org",
        ["FORWARD_PROXY_PORT"] = "0",
        ["FORWARD_PROXY_ALLOW"] = $"localhost:{_echo.Port}",
        ["FORWARD_PROXY_MAX_TUNNELS"] = "20",
        ["CLIENT_HEADER_TIMEOUT"] = "1",
        ["UPSTREAM_TIMEOUT"] = "2",
        ["CONNECT_TIMEOUT"] = "2",
    });

    [Fact]
    public async Task OversizedHead_Is431()
    {
        var answer = await RawHttp.ExchangeAsync(_sidecar.Route("forward"),
            $"CONNECT localhost:{_echo.Port} HTTP/1.1\r\nX-Padding: {new string('a', 20_000)}\r\n\r\n");

        Assert.Equal(431, RawHttp.StatusOf(answer));
        Assert.Contains("X-Sidecar-Error: request_head_too_large", answer);
        Assert.Equal(0, _echo.Accepted);
    }

    [Fact]
    public async Task HeadThatNeverEnds_IsClosedAfterTheHeaderTimeout()
    {
        using var client = await ConnectAsync();
        await client.GetStream().WriteAsync(Encoding.ASCII.GetBytes($"CONNECT localhost:{_echo.Port} HTTP/1.1\r\nHost: loc"));

        Assert.Equal(0, await ReadAsync(client, new byte[100]));
        Assert.Equal(0, _echo.Accepted);
    }

    [Fact]
    public async Task IdleTunnel_IsClosedAfterTheUpstreamTimeout()
    {
        using var client = await OpenTunnelAsync();

        Assert.Equal(0, await ReadAsync(client, new byte[100]));
        await _sidecar.WaitForLineAsync(l => l.Contains("route=forward") && l.Contains("status=200"));
    }

    [Fact]
    public async Task ClientClosingMidTunnel_EndsItWithItsLine()
    {
        using (var client = await OpenTunnelAsync())
        {
            await client.GetStream().WriteAsync("ping"u8.ToArray());
            var buffer = new byte[4];
            await client.GetStream().ReadExactlyAsync(buffer);
            Assert.Equal("ping", Encoding.ASCII.GetString(buffer));
        }

        var line = await _sidecar.WaitForLineAsync(l => l.Contains("route=forward") && l.Contains("bytes_in=4 bytes_out=4"));
        Assert.Contains("status=200", line);
    }

    [Fact]
    public async Task TunnelsBeyondTheLimit_Get503()
    {
        var open = new List<TcpClient>();
        try
        {
            for (var i = 0; i < 20; i++) open.Add(await OpenTunnelAsync());

            var answer = await RawHttp.ExchangeAsync(_sidecar.Route("forward"), Connect);

            Assert.Equal(503, RawHttp.StatusOf(answer));
            Assert.Contains("X-Sidecar-Error: forward_tunnel_limit", answer);
        }
        finally
        {
            open.ForEach(client => client.Dispose());
        }
    }

    [Fact]
    public async Task AThousandShortTunnels_LeakNoDescriptor()
    {
        await OneShortTunnelAsync(); // warm-up: the first tunnel sets up what lives for the process
        var before = OpenDescriptors();

        for (var i = 0; i < 1000; i++)
        {
            await OneShortTunnelAsync();
        }

        var after = await Eventually.ReturnsAsync(() => Task.FromResult(OpenDescriptors()), count => count <= before + 5,
            TimeSpan.FromSeconds(20), $"descriptors back near {before}");
        Assert.InRange(after, 0, before + 5);
    }

    public async Task DisposeAsync()
    {
        await _sidecar.DisposeAsync();
        _echo.Dispose();
    }

    private async Task OneShortTunnelAsync()
    {
        using var client = await OpenTunnelAsync();
        await client.GetStream().WriteAsync("x"u8.ToArray());
        Assert.Equal(1, await ReadAsync(client, new byte[1]));
    }

    private async Task<TcpClient> OpenTunnelAsync()
    {
        var client = await ConnectAsync();
        await client.GetStream().WriteAsync(Encoding.ASCII.GetBytes(Connect));
        var established = "HTTP/1.1 200 Connection established\r\n\r\n";
        var buffer = new byte[established.Length];
        await client.GetStream().ReadExactlyAsync(buffer);
        Assert.Equal(established, Encoding.ASCII.GetString(buffer));
        return client;
    }

    private async Task<TcpClient> ConnectAsync()
    {
        var client = new TcpClient();
        await client.ConnectAsync(_sidecar.Route("forward").Host, _sidecar.Route("forward").Port);
        return client;
    }

    private static async Task<int> ReadAsync(TcpClient client, byte[] buffer)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        try
        {
            return await client.GetStream().ReadAsync(buffer, timeout.Token);
        }
        catch (IOException)
        {
            return 0; // reset: closed too
        }
    }

    private int OpenDescriptors() => Directory.GetFiles($"/proc/{_sidecar.Pid}/fd").Length;
}
