namespace ApicastSidecarProxy.Egress;

/// <summary>The proxy closed the connection without answering CONNECT, as many times as the sidecar allows.</summary>
public sealed class ProxyClosedTunnelRequestException(int attempts) : IOException(
    $"the proxy closed the connection without answering the tunnel request (CONNECT); gave up after {attempts} attempts");
