using System.Net;

namespace ApicastSidecarProxy.Configuration;

/// <summary>
/// The forward-proxy listener: an HTTP proxy for APIcast's other destinations (OIDC issuers, JWKS, introspection,
/// OCSP), chained through the corporate proxy with the same credentials, and only to allow-listed destinations.
/// </summary>
public sealed record ForwardProxyOptions
{
    /// <summary>Port of the listener (FORWARD_PROXY_PORT); the listener exists only when it is set. 0 picks a free port.</summary>
    public required int Port { get; init; }

    /// <summary>
    /// Address of the listener (FORWARD_PROXY_ADDRESS; "*": all interfaces, null). Default: 127.0.0.1 whatever
    /// LISTEN_ADDRESS says, since the listener lends the corporate proxy's credentials to whoever can connect.
    /// </summary>
    public IPAddress? Address { get; init; } = IPAddress.Loopback;

    /// <summary>The destinations it may reach (FORWARD_PROXY_ALLOW), required with the port.</summary>
    public required ForwardAllowList Allow { get; init; }

    public const int DefaultMaxTunnels = 128;

    /// <summary>Most CONNECT tunnels open at once (FORWARD_PROXY_MAX_TUNNELS); beyond it: 503. Default: 128.</summary>
    public int MaxTunnels { get; init; } = DefaultMaxTunnels;

    /// <summary>Largest request head (request line and headers) the listener reads, in bytes.</summary>
    public const int MaxRequestHeadBytes = 16 * 1024;
}
