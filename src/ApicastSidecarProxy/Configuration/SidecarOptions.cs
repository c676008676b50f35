using System.Net;

namespace ApicastSidecarProxy.Configuration;

/// <summary>The whole, validated configuration of one sidecar process.</summary>
public sealed record SidecarOptions
{
    /// <summary>The routes, one listener each. Built-in: portal (9090) and backend (9091).</summary>
    public required IReadOnlyList<SidecarRouteOptions> Routes { get; init; }

    /// <summary>Address the listeners bind to (LISTEN_ADDRESS). Default: all interfaces (null).</summary>
    public IPAddress? ListenAddress { get; init; }

    /// <summary>The forward proxies, NO_PROXY and proxy credentials.</summary>
    public required ProxyOptions Proxy { get; init; }

    /// <summary>How upstream certificates are verified.</summary>
    public required TlsOptions Tls { get; init; }

    /// <summary>
    /// Longest wait for the next bytes from the upstream once the request is sent (UPSTREAM_TIMEOUT, seconds).
    /// Default: 60 seconds. Exceeding it answers 504 upstream_timeout.
    /// </summary>
    public TimeSpan UpstreamTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Longest time to open a connection: TCP to the proxy, CONNECT tunnel and TLS handshake (CONNECT_TIMEOUT, seconds).
    /// Default: 10 seconds.
    /// </summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Most connections (through a proxy: tunnels) open at once to each upstream (UPSTREAM_MAX_CONNECTIONS); further
    /// requests wait for one to be free. Default: null, no limit.
    /// </summary>
    public int? UpstreamMaxConnections { get; init; }

    /// <summary>Client-side limits: header read (slow loris) and idle keep-alive.</summary>
    public ClientTimeoutOptions Client { get; init; } = new();

    /// <summary>Management listener, readiness probing and shutdown.</summary>
    public ManagementOptions Management { get; init; } = new();

    /// <summary>The forward-proxy listener (FORWARD_PROXY_PORT); null when it is off (the default).</summary>
    public ForwardProxyOptions? ForwardProxy { get; init; }

    /// <summary>The portal route's store of last good configuration answers.</summary>
    public ConfigCacheOptions ConfigCache { get; init; } = new();

    /// <summary>Log format and level.</summary>
    public LogOptions Log { get; init; } = new();
}
