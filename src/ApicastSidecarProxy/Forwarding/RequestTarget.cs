using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace ApicastSidecarProxy.Forwarding;

public static class RequestTarget
{
    /// <summary>The request target exactly as the client sent it (path and query), for the log and the cache key.</summary>
    public static string Of(HttpContext context) => context.Features.Get<IHttpRequestFeature>()?.RawTarget
        ?? context.Request.Path.ToUriComponent() + context.Request.QueryString.Value;
}
