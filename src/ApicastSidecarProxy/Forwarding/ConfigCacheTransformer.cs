using Microsoft.AspNetCore.Http;

namespace ApicastSidecarProxy.Forwarding;

/// <summary>
/// The portal route's transformer when the configuration cache is on: before the portal's answer is copied, a 502,
/// 503 or 504 may be discarded so that the stored answer is served in its place (see <see cref="ConfigurationCacheExchange"/>).
/// </summary>
public sealed class ConfigCacheTransformer(string? defaultAuthorization) : UpstreamRequestTransformer(defaultAuthorization)
{
    public override ValueTask<bool> TransformResponseAsync(HttpContext httpContext, HttpResponseMessage? proxyResponse,
        CancellationToken cancellationToken)
    {
        if (proxyResponse is not null && httpContext.Features.Get<ConfigurationCacheExchange>() is { } exchange
            && exchange.StandsInFor(proxyResponse.StatusCode))
        {
            return ValueTask.FromResult(false); // YARP then discards the answer and copies nothing
        }

        return base.TransformResponseAsync(httpContext, proxyResponse, cancellationToken);
    }
}
