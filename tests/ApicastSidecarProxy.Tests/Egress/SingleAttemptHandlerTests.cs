using ApicastSidecarProxy.Egress;

namespace ApicastSidecarProxy.Tests.Egress;

public class SingleAttemptHandlerTests
{
    [Fact]
    public async Task BodylessRequest_IsSentWithAnEmptyBody()
    {
        var inner = new RecordingHandler();
        using var invoker = new HttpMessageInvoker(new SingleAttemptHandler(inner));

        using var _ = await invoker.SendAsync(new HttpRequestMessage(HttpMethod.Get, "https://su1.3scale.net/"), CancellationToken.None);

        Assert.Equal(0, inner.Received!.Content!.Headers.ContentLength);
    }

    [Fact]
    public async Task RequestBody_IsLeftAlone()
    {
        var inner = new RecordingHandler();
        using var invoker = new HttpMessageInvoker(new SingleAttemptHandler(inner));
        var body = new StringContent("report");

        using var _ = await invoker.SendAsync(new HttpRequestMessage(HttpMethod.Post, "https://su1.3scale.net/") { Content = body }, CancellationToken.None);

        Assert.Same(body, inner.Received!.Content);
    }

    private sealed class RecordingHandler : HttpMessageHandler
    {
        public HttpRequestMessage? Received { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Received = request;
            return Task.FromResult(new HttpResponseMessage());
        }
    }
}
