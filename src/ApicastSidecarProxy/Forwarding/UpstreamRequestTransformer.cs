using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;
using Yarp.ReverseProxy.Forwarder;

namespace ApicastSidecarProxy.Forwarding;

/// <summary>
/// Shapes the upstream request: the client's target byte for byte under the upstream's path prefix; the upstream's own
/// Host (so SNI and the certificate check follow it); no X-Forwarded-* (internal addresses stay inside); no client
/// Proxy-Authorization nor headers the client's Connection header names; the route's Basic credentials when the client
/// sent no Authorization. YARP's base transformer already drops the standard hop-by-hop headers.
/// </summary>
public class UpstreamRequestTransformer(string? defaultAuthorization) : HttpTransformer
{
    public override async ValueTask TransformRequestAsync(
        HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix, CancellationToken cancellationToken)
    {
        await base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken);

        var rawTarget = OriginFormTarget.OfAbsolute(httpContext.Features.Get<IHttpRequestFeature>()?.RawTarget);
        proxyRequest.RequestUri = OriginFormTarget.TryCreateUri(destinationPrefix, rawTarget) ?? proxyRequest.RequestUri;
        proxyRequest.Headers.Host = null;
        proxyRequest.Headers.Remove(HeaderNames.ProxyAuthorization);
        RemoveConnectionNominatedHeaders(httpContext.Request.Headers.Connection, proxyRequest);
        if (defaultAuthorization is not null && !proxyRequest.Headers.Contains(HeaderNames.Authorization))
        {
            proxyRequest.Headers.TryAddWithoutValidation(HeaderNames.Authorization, defaultAuthorization);
        }
    }

    private static void RemoveConnectionNominatedHeaders(Microsoft.Extensions.Primitives.StringValues connection, HttpRequestMessage proxyRequest)
    {
        foreach (var value in connection)
        {
            foreach (var range in value.AsSpan().Split(','))
            {
                var name = value.AsSpan()[range].Trim();
                if (name.Length == 0 || name.Equals("keep-alive", StringComparison.OrdinalIgnoreCase)
                    || name.Equals("close", StringComparison.OrdinalIgnoreCase) || !IsToken(name))
                {
                    continue;
                }

                var header = name.ToString();
                proxyRequest.Headers.Remove(header);
                proxyRequest.Content?.Headers.Remove(header);
            }
        }
    }

    private static bool IsToken(ReadOnlySpan<char> name)
    {
        foreach (var c in name)
        {
            if (c <= ' ' || c >= 0x7F || "\"(),/:;<=>?@[\\]{}".Contains(c))
            {
                return false;
            }
        }

        return true;
    }
}
