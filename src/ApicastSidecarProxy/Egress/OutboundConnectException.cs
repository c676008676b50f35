using System.Net.Sockets;

namespace ApicastSidecarProxy.Egress;

/// <summary>
/// A TCP connection to the next hop (a proxy, or an upstream reached directly) could not be opened: nothing of the
/// request can have been sent, so another entry of the proxy list may be tried. Its message is the socket's.
/// </summary>
public sealed class OutboundConnectException(SocketException inner) : IOException(inner.Message, inner);
