using System.Net.Sockets;
using System.Text;
using ApicastSidecarProxy.FunctionalTests.Infrastructure;

namespace ApicastSidecarProxy.FunctionalTests.Startup;

/// <summary>
/// Type=notify: under systemd (NOTIFY_SOCKET set) the sidecar says READY=1 once its listeners are bound and STOPPING=1
/// when SIGTERM closes them, on the datagram socket systemd gave it.
/// </summary>
[Collection(ProxyChainCollection.Name)]
public sealed class SystemdNotifyTests(ProxyChainFixture chain) : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("notify-").FullName;

    [Fact]
    public async Task WithNotifySocket_SaysReadyAfterBinding_AndStoppingOnSigterm()
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        var path = Path.Combine(_directory, "notify");
        socket.Bind(new UnixDomainSocketEndPoint(path));
        var environment = chain.SidecarEnvironment(chain.Tinyproxy);
        environment["NOTIFY_SOCKET"] = path;

        await using var sidecar = await SidecarProcess.StartAsync(environment);
        var ready = await ReceiveAsync(socket);
        var exitCode = await sidecar.TerminateAsync();
        var stopping = await ReceiveAsync(socket);

        Assert.Equal("READY=1", ready);
        Assert.Equal("STOPPING=1", stopping);
        Assert.Equal(0, exitCode);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static async Task<string> ReceiveAsync(Socket socket)
    {
        var buffer = new byte[256];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var length = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
        return Encoding.UTF8.GetString(buffer, 0, length).Trim();
    }
}
