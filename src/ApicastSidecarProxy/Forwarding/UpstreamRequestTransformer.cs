using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using Yarp.ReverseProxy.Forwarder;

namespace ApicastSidecarProxy.Forwarding;

/// <summary>
/// Shapes the upstream request: the upstream's own Host (so SNI and the certificate check follow it), no
/// X-Forwarded-* (internal addresses stay inside), no client Proxy-Authorization, and the route's Basic credentials when
/// the client sent no Authorization. YARP's base transformer already drops hop-by-hop headers.
/// </summary>
public sealed class UpstreamRequestTransformer(string? defaultAuthorization) : HttpTransformer
{
    public override async ValueTask TransformRequestAsync(
        HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix, CancellationToken cancellationToken)
    {
        await base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken);

        proxyRequest.Headers.Host = null;
        proxyRequest.Headers.Remove(HeaderNames.ProxyAuthorization);
        if (defaultAuthorization is not null && !proxyRequest.Headers.Contains(HeaderNames.Authorization))
        {
            proxyRequest.Headers.TryAddWithoutValidation(HeaderNames.Authorization, defaultAuthorization);
        }
    }
}
