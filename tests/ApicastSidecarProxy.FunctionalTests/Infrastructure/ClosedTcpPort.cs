using System.Net;
using System.Net.Sockets;

namespace ApicastSidecarProxy.FunctionalTests.Infrastructure;

/// <summary>
/// A loopback port that refuses connections for as long as this object lives: bound but never listening, so no other
/// process can take it meanwhile (unlike a port found free and released).
/// </summary>
public sealed class ClosedTcpPort : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);

    public ClosedTcpPort() => _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));

    public int Port => ((IPEndPoint)_socket.LocalEndPoint!).Port;

    public void Dispose() => _socket.Dispose();
}
