namespace ApicastSidecarProxy.Failures;

/// <summary>
/// Why the sidecar could not complete an exchange. Each code is written in snake_case (<see cref="FailureCodes.Text"/>)
/// wherever it appears: the X-Sidecar-Error header and JSON body, the access log, the metrics' error_type label,
/// `check`, /readyz and the README's Errors table (a deployment test holds the table to this list).
/// </summary>
public enum FailureCode
{
    /// <summary>TCP connection to the proxy refused or failed.</summary>
    ProxyUnreachable,

    /// <summary>The proxy rejected or demanded credentials (407, or tinyproxy's 401; SOCKS authentication).</summary>
    ProxyAuthFailed,

    /// <summary>The proxy refused the tunnel, or closed the connection twice without answering CONNECT.</summary>
    ProxyRefused,

    /// <summary>No connection (TCP, CONNECT, TLS) within CONNECT_TIMEOUT.</summary>
    ConnectTimeout,

    /// <summary>TLS to the upstream failed.</summary>
    UpstreamTlsFailed,

    /// <summary>TLS to an https:// proxy failed.</summary>
    ProxyTlsFailed,

    /// <summary>The proxy could not reach the upstream, or the upstream refused or reset the connection.</summary>
    UpstreamUnreachable,

    /// <summary>No progress for UPSTREAM_TIMEOUT.</summary>
    UpstreamTimeout,

    /// <summary>The upstream broke off mid-body.</summary>
    UpstreamResponseAborted,

    /// <summary>The client's body could not be read.</summary>
    BadRequestBody,

    /// <summary>A CONNECT on a route listener (or not first on a forward-listener connection).</summary>
    ConnectRefused,

    /// <summary>An absolute-form or * target on a route listener.</summary>
    AbsoluteFormRefused,

    /// <summary>A control character in the target; on the forward listener, a malformed CONNECT.</summary>
    BadRequestTarget,

    /// <summary>Any other forwarding failure.</summary>
    UpstreamError,

    /// <summary>The client went away before the answer.</summary>
    ClientAborted,

    /// <summary>The portal answered 502, 503 or 504 and a stored configuration answer was served instead.</summary>
    UpstreamUnavailable,

    /// <summary>Forward listener: the destination is not in FORWARD_PROXY_ALLOW.</summary>
    ForwardDenied,

    /// <summary>Forward listener: neither CONNECT nor an absolute http:// target.</summary>
    OriginFormRefused,

    /// <summary>Forward listener: FORWARD_PROXY_MAX_TUNNELS tunnels are open.</summary>
    ForwardTunnelLimit,

    /// <summary>Forward listener: a CONNECT head over the size limit.</summary>
    RequestHeadTooLarge,

    /// <summary>The PAC script threw, exceeded a limit or returned no valid proxy list: the request never goes direct.</summary>
    ProxySelectionFailed,
}

public static class FailureCodes
{
    private static readonly string[] Texts = Enum.GetValues<FailureCode>().Select(code => SnakeCase(code.ToString())).ToArray();

    /// <summary>The code as every output writes it, e.g. "proxy_auth_failed".</summary>
    public static string Text(this FailureCode code) => Texts[(int)code];

    public static IReadOnlyList<FailureCode> All { get; } = Enum.GetValues<FailureCode>();

    private static string SnakeCase(string pascal) =>
        string.Concat(pascal.Select((c, i) => char.IsUpper(c) ? (i > 0 ? "_" : "") + char.ToLowerInvariant(c) : c.ToString()));
}
