namespace ApicastSidecarProxy.Configuration;

/// <summary>The management listener (probes, metrics) and the shutdown sequence.</summary>
public sealed record ManagementOptions
{
    /// <summary>Port of the management listener (MANAGEMENT_PORT). Default: 9092.</summary>
    public int Port { get; init; } = SettingNames.DefaultManagementPort;

    /// <summary>
    /// Address of the management listener (MANAGEMENT_ADDRESS). Default: all interfaces (null), so the kubelet can probe
    /// the pod's IP even when LISTEN_ADDRESS keeps the forwarding ports on 127.0.0.1.
    /// </summary>
    public System.Net.IPAddress? Address { get; init; }

    /// <summary>
    /// How often each route's chain is probed for readiness (READINESS_INTERVAL, seconds). 0 turns probing off: /readyz
    /// then only reflects draining. Default: 10 seconds.
    /// </summary>
    public TimeSpan ReadinessInterval { get; init; } = TimeSpan.FromSeconds(10);

    public bool ReadinessProbing => ReadinessInterval > TimeSpan.Zero;

    /// <summary>
    /// After SIGTERM/SIGINT, how long the sidecar keeps serving while /readyz already answers 503, so load balancers stop
    /// sending traffic before the listeners close (DRAIN_DELAY, seconds). Default: 0.
    /// </summary>
    public TimeSpan DrainDelay { get; init; } = TimeSpan.Zero;

    /// <summary>How long in-flight requests may run once the listeners are closed (SHUTDOWN_TIMEOUT, seconds). Default: 30 seconds.</summary>
    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromSeconds(30);
}
