using System.Net;
using System.Net.Http;
using System.Security.Cryptography.X509Certificates;
using ApicastSidecarProxy.Configuration;
using ApicastSidecarProxy.Observability;

namespace ApicastSidecarProxy.Egress;

/// <summary>
/// Builds the one outbound handler every route shares: proxy selection, proxy credentials, TLS trust and timeouts
/// live here and nowhere else.
/// </summary>
public static class OutboundHandlerFactory
{
    /// <param name="onCertificate">Sees every upstream certificate before validation (the `check` command reports it).</param>
    public static HttpMessageInvoker Create(SidecarOptions options, IProxySelector proxySelector,
        ProxyCredentialLookup proxyCredentials, SidecarMetrics metrics, Action<X509Certificate>? onCertificate = null)
    {
        var validator = new UpstreamCertificateValidator(options.Tls);
        var handler = new SocketsHttpHandler
        {
            Proxy = new SidecarWebProxy(proxySelector, proxyCredentials),
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
            SslOptions =
            {
                RemoteCertificateValidationCallback = (_, cert, chain, errors) =>
                {
                    if (cert is not null)
                    {
                        onCertificate?.Invoke(cert);
                    }

                    return validator.Validate(cert, chain, errors);
                },
            },
        };
        return new HttpMessageInvoker(new SingleAttemptHandler(handler), disposeHandler: true);
    }
}
