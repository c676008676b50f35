using System.Net;

namespace ApicastSidecarProxy.Configuration;

/// <summary>The whole, validated configuration of one sidecar process.</summary>
public sealed record SidecarOptions
{
    /// <summary>Every default, with no route and no proxy: what the reader starts from, and what --help shows.</summary>
    public static SidecarOptions Defaults { get; } = new() { Routes = [], Proxy = ProxyOptions.Direct, Tls = new TlsOptions() };

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

    public const int DefaultUpstreamMaxConnections = 512;

    /// <summary>
    /// Most connections (through a proxy: tunnels) open at once to each upstream (UPSTREAM_MAX_CONNECTIONS); further
    /// requests wait for one to be free. Default: 512, which bounds memory (each connection costs 60-120 KB) without
    /// capping a slow upstream: 512 connections to a 50 ms upstream carry 10,000 requests/s, more than two cores
    /// forward (bench/RESULTS.md, "Memory diet").
    /// </summary>
    public int UpstreamMaxConnections { get; init; } = DefaultUpstreamMaxConnections;

    public const int DefaultUpstreamConcurrencyFloor = 64;

    /// <summary>
    /// Exchanges each route lets be in flight at once whatever its upstream's pace (UPSTREAM_CONCURRENCY_FLOOR); above
    /// it, up to <see cref="UpstreamMaxConnections"/>, only while more in flight still bring more answers per second
    /// (the route's adaptive concurrency limit). Default: 64, or UPSTREAM_MAX_CONNECTIONS when lower; set to
    /// UPSTREAM_MAX_CONNECTIONS for a fixed limit.
    /// </summary>
    public int UpstreamConcurrencyFloor { get; init; } = DefaultUpstreamConcurrencyFloor;

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
