using System.Net;
using System.Net.Http;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using ApicastSidecarProxy.Configuration;
using ApicastSidecarProxy.Metrics;

namespace ApicastSidecarProxy.Egress;

/// <summary>
/// Builds the one outbound handler every route shares: proxy selection, proxy credentials, TLS trust and timeouts
/// live here and nowhere else.
/// </summary>
public static class OutboundHandlerFactory
{
    /// <param name="onCertificate">
    /// Sees every upstream certificate before validation, with the host that presented it (the `check` command reports
    /// it; the server records its expiry).
    /// </param>
    public static HttpMessageInvoker Create(SidecarOptions options, ProxyFailover failover,
        ProxyCredentialLookup proxyCredentials, SidecarMetrics metrics, Action<string, X509Certificate>? onCertificate = null)
    {
        var handler = CreateSocketsHandler(options, proxyCredentials, metrics, onCertificate);
        // Only a plain-http destination through an HTTP proxy can get the proxy's 407 as a response; the others skip the layer.
        var plainHttpThroughProxy = (options.Proxy.Http is not null || options.Proxy.Pac is not null)
            && (options.Routes.Any(r => r.Upstream.Scheme == Uri.UriSchemeHttp) || options.ForwardProxy is not null);
        HttpMessageHandler outbound = plainHttpThroughProxy ? new ProxyRejectionHandler(handler) : handler;
        return new HttpMessageInvoker(new ProxyFailoverHandler(new SingleAttemptHandler(outbound), failover), disposeHandler: true);
    }

    /// <summary>
    /// What opens the forward listener's CONNECT tunnels through an HTTP(S) proxy: the same handler settings, to which
    /// a CONNECT request is sent for <c>http://HOST:PORT/</c> with Host <c>HOST:PORT</c>. SocketsHttpHandler then
    /// answers the proxy's challenges as for the routes (Basic, Digest, NTLM, Negotiate) and, on 200, hands out the
    /// tunnel as the response stream. Through a SOCKS proxy, <see cref="SocksTunnelCapture"/> takes the tunnel the handler
    /// opened. The caller chooses the proxy-list entry and sets it on the tunnel's <see cref="OutboundPath"/>.
    /// </summary>
    public static HttpMessageInvoker CreateTunnelInvoker(SidecarOptions options, ProxyCredentialLookup proxyCredentials,
        SidecarMetrics metrics)
    {
        var handler = CreateSocketsHandler(options, proxyCredentials, metrics, onCertificate: null);
        handler.PlaintextStreamFilter = SocksTunnelCapture.Filter;
        return new HttpMessageInvoker(handler, disposeHandler: true);
    }

    private static SocketsHttpHandler CreateSocketsHandler(SidecarOptions options, ProxyCredentialLookup proxyCredentials,
        SidecarMetrics metrics, Action<string, X509Certificate>? onCertificate)
    {
        var validator = new UpstreamCertificateValidator(options.Tls);
        var upstreamHosts = options.Routes.Select(r => r.Upstream.IdnHost).ToHashSet(StringComparer.OrdinalIgnoreCase);
        return new SocketsHttpHandler
        {
            Proxy = new SidecarWebProxy(proxyCredentials),
            UseProxy = true,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            // Tracing headers are the client's business, not ours to add.
            ActivityHeadersPropagator = null,
            ConnectTimeout = options.ConnectTimeout,
            ConnectCallback = new OutboundConnector(metrics).ConnectAsync,
            // Closed before typical proxy and upstream keep-alive limits, so a pooled connection is rarely found dead.
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(50),
            // Re-opened now and then even when busy, so proxy and DNS changes are picked up.
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            // Per connection pool: an upstream's host and port (through an HTTP proxy to an http:// upstream, the
            // proxy). A request beyond it waits in the pool for a free connection, within the forwarder's UPSTREAM_TIMEOUT.
            MaxConnectionsPerServer = options.UpstreamMaxConnections,
            SslOptions =
            {
                RemoteCertificateValidationCallback = (sender, cert, chain, errors) =>
                {
                    var atProxy = IsProxyHandshake(sender, upstreamHosts);
                    if (cert is not null && !atProxy)
                    {
                        onCertificate?.Invoke((sender as SslStream)?.TargetHostName ?? "", cert);
                    }

                    return validator.Validate(cert, chain, errors, atProxy);
                },
            },
        };
    }

    // .NET reports both handshakes alike; the host name tells them apart: the handshake is the proxy's when it is made
    // with the host of the https:// proxy chosen for the request. A proxy sharing its host name with an upstream is
    // taken for the upstream.
    private static bool IsProxyHandshake(object sender, HashSet<string> upstreamHosts) =>
        sender is SslStream stream
        && OutboundPath.Current?.Proxy is { Scheme: "https" } proxy
        && proxy.IdnHost.Equals(stream.TargetHostName, StringComparison.OrdinalIgnoreCase)
        && !upstreamHosts.Contains(stream.TargetHostName);
}
