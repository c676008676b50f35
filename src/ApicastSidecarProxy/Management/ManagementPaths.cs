namespace ApicastSidecarProxy.Management;

/// <summary>The paths served on the management listener (MANAGEMENT_PORT), apart from the forwarding ports.</summary>
public static class ManagementPaths
{
    /// <summary>Liveness: the process is up and serving.</summary>
    public const string Healthz = "/healthz";

    /// <summary>Readiness: each route's chain (proxy, tunnel, TLS, upstream) answered recently.</summary>
    public const string Readyz = "/readyz";

    /// <summary>Prometheus metrics.</summary>
    public const string Metrics = "/metrics";
}
