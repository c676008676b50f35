namespace ApicastSidecarProxy.Configuration;

/// <summary>Limits on the client side (APIcast to sidecar).</summary>
public sealed record ClientTimeoutOptions
{
    /// <summary>
    /// Longest time a client may take to send the request headers (CLIENT_HEADER_TIMEOUT, seconds); a slow-loris client
    /// is disconnected. Default: 30 seconds.
    /// </summary>
    public TimeSpan HeaderTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long an idle keep-alive client connection is kept (CLIENT_IDLE_TIMEOUT, seconds). Default: 120 seconds.</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromSeconds(120);
}
