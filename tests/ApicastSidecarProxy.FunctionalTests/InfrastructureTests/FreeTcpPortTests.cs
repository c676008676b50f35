using System.Net;
using System.Net.Sockets;
using ApicastSidecarProxy.FunctionalTests.Infrastructure;

namespace ApicastSidecarProxy.FunctionalTests.InfrastructureTests;

public sealed class FreeTcpPortTests
{
    [Fact]
    public async Task Waiting_succeeds_for_a_listening_port_and_times_out_for_a_closed_one()
    {
        var listener = new TcpListener(IPAddress.Loopback, FreeTcpPort.Find());
        listener.Start();
        try
        {
            await FreeTcpPort.WaitUntilAcceptingAsync(((IPEndPoint)listener.LocalEndpoint).Port, TimeSpan.FromSeconds(5));
        }
        finally
        {
            listener.Stop();
        }

        using var closed = new ClosedTcpPort(); // held, so nothing else can start listening on it meanwhile
        var error = await Assert.ThrowsAsync<TimeoutException>(
            () => FreeTcpPort.WaitUntilAcceptingAsync(closed.Port, TimeSpan.FromMilliseconds(300)));
        Assert.Contains("127.0.0.1", error.Message);
    }
}
