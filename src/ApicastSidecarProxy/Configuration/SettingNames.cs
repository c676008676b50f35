namespace ApicastSidecarProxy.Configuration;

/// <summary>The names of every setting the sidecar reads: environment variables, flags (--NAME=value) or appsettings keys.</summary>
public static class SettingNames
{
    public const string PortalEndpoint = "THREESCALE_PORTAL_ENDPOINT";
    public const string BackendEndpoint = "BACKEND_ENDPOINT_OVERRIDE";
    public const string PortalListenPort = "PORTAL_LISTEN_PORT";
    public const string BackendListenPort = "BACKEND_LISTEN_PORT";
    public const string ListenAddress = "LISTEN_ADDRESS";

    public static readonly string[] HttpsProxy = ["https_proxy", "HTTPS_PROXY"];
    public static readonly string[] HttpProxy = ["http_proxy", "HTTP_PROXY"];
    public static readonly string[] AllProxy = ["all_proxy", "ALL_PROXY"];
    public static readonly string[] NoProxy = ["no_proxy", "NO_PROXY"];

    public const string ProxyUsername = "PROXY_USERNAME";
    public const string ProxyPassword = "PROXY_PASSWORD";
    public const string ProxyPasswordFile = "PROXY_PASSWORD_FILE";
    public const string ProxyAuth = "PROXY_AUTH";
    public const string ProxyPac = "PROXY_PAC";
    public const string ProxyPacRefresh = "PROXY_PAC_REFRESH";
    public const string ProxyFailover = "PROXY_FAILOVER";
    public const string ProxyRetryAfter = "PROXY_RETRY_AFTER";

    public const string UpstreamCaFile = "UPSTREAM_CA_FILE";
    public const string UpstreamTlsInsecureSkipVerify = "UPSTREAM_TLS_INSECURE_SKIP_VERIFY";
    public const string UpstreamTimeout = "UPSTREAM_TIMEOUT";
    public const string ConnectTimeout = "CONNECT_TIMEOUT";
    public const string UpstreamMaxConnections = "UPSTREAM_MAX_CONNECTIONS";
    public const string UpstreamConcurrencyFloor = "UPSTREAM_CONCURRENCY_FLOOR";

    public const string ManagementPort = "MANAGEMENT_PORT";
    public const string ManagementAddress = "MANAGEMENT_ADDRESS";
    public const string ReadinessInterval = "READINESS_INTERVAL";
    public const string DrainDelay = "DRAIN_DELAY";
    public const string ShutdownTimeout = "SHUTDOWN_TIMEOUT";
    public const string LogFormat = "LOG_FORMAT";
    public const string LogLevel = "LOG_LEVEL";
    public const string ClientHeaderTimeout = "CLIENT_HEADER_TIMEOUT";
    public const string ClientIdleTimeout = "CLIENT_IDLE_TIMEOUT";

    public const string ForwardProxyPort = "FORWARD_PROXY_PORT";
    public const string ForwardProxyAddress = "FORWARD_PROXY_ADDRESS";
    public const string ForwardProxyAllow = "FORWARD_PROXY_ALLOW";
    public const string ForwardProxyMaxTunnels = "FORWARD_PROXY_MAX_TUNNELS";

    public const string ConfigCache = "CONFIG_CACHE";
    public const string ConfigCacheDir = "CONFIG_CACHE_DIR";
    public const string ConfigCacheMaxStale = "CONFIG_CACHE_MAX_STALE";
    public const string ConfigCacheMaxEntryBytes = "CONFIG_CACHE_MAX_ENTRY_BYTES";
    public const string ConfigCacheMaxBytes = "CONFIG_CACHE_MAX_BYTES";

    /// <summary>Every setting name above (both spellings of the proxy variables): a flag naming anything else is refused.</summary>
    public static readonly IReadOnlySet<string> All = new HashSet<string>(
        [
            PortalEndpoint, BackendEndpoint, PortalListenPort, BackendListenPort, ListenAddress,
            .. HttpsProxy, .. HttpProxy, .. AllProxy, .. NoProxy,
            ProxyUsername, ProxyPassword, ProxyPasswordFile, ProxyAuth, ProxyPac, ProxyPacRefresh, ProxyFailover, ProxyRetryAfter,
            UpstreamCaFile, UpstreamTlsInsecureSkipVerify, UpstreamTimeout, ConnectTimeout, UpstreamMaxConnections,
            UpstreamConcurrencyFloor, ManagementPort, ManagementAddress, ReadinessInterval, DrainDelay, ShutdownTimeout, LogFormat, LogLevel,
            ClientHeaderTimeout, ClientIdleTimeout,
            ForwardProxyPort, ForwardProxyAddress, ForwardProxyAllow, ForwardProxyMaxTunnels,
            ConfigCache, ConfigCacheDir, ConfigCacheMaxStale, ConfigCacheMaxEntryBytes, ConfigCacheMaxBytes,
        ],
        StringComparer.OrdinalIgnoreCase);

    /// <summary>The backend the original sidecar defaults to.</summary>
    public const string DefaultBackendEndpoint = "https://su1.3scale.net";
    public const int DefaultPortalListenPort = 9090;
    public const int DefaultBackendListenPort = 9091;
    public const int DefaultManagementPort = 9092;
}
