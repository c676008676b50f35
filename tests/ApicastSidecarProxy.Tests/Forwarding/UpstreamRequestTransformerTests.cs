using ApicastSidecarProxy.Forwarding;
using Microsoft.AspNetCore.Http;

namespace ApicastSidecarProxy.Tests.Forwarding;

public class UpstreamRequestTransformerTests
{
    private const string Prefix = "https://tenant-admin.3scale.net/prefix";

    [Fact]
    public async Task HostIsTheUpstreams_AndNoForwardedHeadersAreAdded()
    {
        var proxyRequest = await TransformAsync(new UpstreamRequestTransformer(null), request =>
        {
            request.Host = new HostString("sidecar.internal:9090");
        });

        Assert.Null(proxyRequest.Headers.Host);
        Assert.DoesNotContain(proxyRequest.Headers, h => h.Key.StartsWith("X-Forwarded", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(proxyRequest.Headers, h => h.Key.Equals("Forwarded", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task ClientProxyAuthorizationAndHopByHopHeaders_AreDropped()
    {
        var proxyRequest = await TransformAsync(new UpstreamRequestTransformer(null), request =>
        {
            request.Headers["Proxy-Authorization"] = "Basic c2VjcmV0";
            request.Headers["Proxy-Connection"] = "keep-alive";
            request.Headers["Keep-Alive"] = "timeout=5";
            request.Headers["TE"] = "trailers";
            request.Headers["Upgrade"] = "h2c";
            request.Headers["3scale-options"] = "rejection_reason_header=1&limit_headers=1";
        });

        Assert.False(proxyRequest.Headers.Contains("Proxy-Authorization"));
        Assert.False(proxyRequest.Headers.Contains("Proxy-Connection"));
        Assert.False(proxyRequest.Headers.Contains("Keep-Alive"));
        Assert.False(proxyRequest.Headers.Contains("Upgrade"));
        Assert.Equal("rejection_reason_header=1&limit_headers=1", Assert.Single(proxyRequest.Headers.GetValues("3scale-options")));
    }

    [Fact]
    public async Task HeadersNamedByConnection_AreDropped()
    {
        var proxyRequest = await TransformAsync(new UpstreamRequestTransformer(null), request =>
        {
            request.Headers.Connection = "keep-alive, X-Internal-Hop";
            request.Headers["X-Internal-Hop"] = "10.0.0.7";
            request.Headers["X-Other"] = "kept";
        });

        Assert.False(proxyRequest.Headers.Contains("X-Internal-Hop"));
        Assert.True(proxyRequest.Headers.Contains("X-Other"));
    }

    [Fact]
    public async Task RawTarget_IsForwardedUnderThePrefix()
    {
        var proxyRequest = await TransformAsync(new UpstreamRequestTransformer(null), request =>
            request.HttpContext.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestFeature>()!.RawTarget = "/a%2Fb?x=1");

        Assert.Equal("/prefix/a%2Fb?x=1", proxyRequest.RequestUri!.PathAndQuery);
    }

    [Fact]
    public async Task RouteCredentials_AreAddedWhenTheClientSentNone()
    {
        var proxyRequest = await TransformAsync(new UpstreamRequestTransformer("Basic dG9rZW46"), _ => { });

        Assert.Equal("Basic dG9rZW46", Assert.Single(proxyRequest.Headers.GetValues("Authorization")));
    }

    [Fact]
    public async Task ClientAuthorization_IsKept()
    {
        var proxyRequest = await TransformAsync(new UpstreamRequestTransformer("Basic dG9rZW46"),
            request => request.Headers.Authorization = "Basic Y2xpZW50Og==");

        Assert.Equal("Basic Y2xpZW50Og==", Assert.Single(proxyRequest.Headers.GetValues("Authorization")));
    }

    private static async Task<HttpRequestMessage> TransformAsync(UpstreamRequestTransformer transformer, Action<HttpRequest> setUp)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "GET";
        context.Request.Scheme = "http";
        context.Request.Host = new HostString("127.0.0.1:9090");
        context.Request.Path = "/";
        setUp(context.Request);
        var proxyRequest = new HttpRequestMessage();
        await transformer.TransformRequestAsync(context, proxyRequest, Prefix, CancellationToken.None);
        return proxyRequest;
    }
}
