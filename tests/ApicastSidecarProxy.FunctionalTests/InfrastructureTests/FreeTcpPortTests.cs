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

    [Fact]
    public void Found_ports_lie_below_the_ephemeral_range_and_differ()
    {
        var ephemeralStart = int.Parse(File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split('\t', ' ')[0]);

        var ports = Enumerable.Range(0, 20).Select(_ => FreeTcpPort.Find()).ToList();

        if (ephemeralStart > 11_000) // room below it: no port-0 bind of a parallel test can take these
        {
            Assert.All(ports, port => Assert.InRange(port, 10_000, ephemeralStart - 1));
        }

        Assert.Equal(ports.Count, ports.Distinct().Count());
    }
}
