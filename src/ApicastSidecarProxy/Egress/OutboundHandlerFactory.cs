using System.Net;
using System.Net.Http;
using ApicastSidecarProxy.Configuration;

namespace ApicastSidecarProxy.Egress;

/// <summary>
/// Builds the one outbound handler every route shares: proxy selection, proxy credentials, TLS trust and timeouts
/// live here and nowhere else.
/// </summary>
public static class OutboundHandlerFactory
{
    public static HttpMessageInvoker Create(SidecarOptions options, IProxySelector proxySelector)
    {
        var validator = new UpstreamCertificateValidator(options.Tls);
        var handler = new SocketsHttpHandler
        {
            Proxy = new SidecarWebProxy(proxySelector, new ProxyCredentialLookup(options.Proxy)),
            UseProxy = true,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            // Tracing headers are the client's business, not ours to add.
            ActivityHeadersPropagator = null,
            ConnectTimeout = options.ConnectTimeout,
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(50),
            EnableMultipleHttp2Connections = true,
            SslOptions = { RemoteCertificateValidationCallback = (_, cert, chain, errors) => validator.Validate(cert, chain, errors) },
        };
        return new HttpMessageInvoker(handler, disposeHandler: true);
    }
}
