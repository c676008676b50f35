using System.Net;
using ApicastSidecarProxy.Egress;

namespace ApicastSidecarProxy.Tests.Egress;

public class ProxyRejectionHandlerTests
{
    [Theory]
    [InlineData("http://proxy.corp:3128/")]
    [InlineData("https://proxy.corp:3129/")]
    public async Task ProxysOwn407_ToAPlainHttpRequest_IsARejectionOfTheCredentials(string proxy)
    {
        using var invoker = Invoker(HttpStatusCode.ProxyAuthenticationRequired, proxy);

        await Assert.ThrowsAsync<ProxyRejectedCredentialsException>(() =>
            invoker.SendAsync(new HttpRequestMessage(HttpMethod.Get, "http://backend.example/transactions.xml"), CancellationToken.None));
    }

    [Theory]
    [InlineData(HttpStatusCode.ProxyAuthenticationRequired, "https://backend.example/x", "http://proxy.corp:3128/")] // a CONNECT failure instead
    [InlineData(HttpStatusCode.ProxyAuthenticationRequired, "http://backend.example/x", null)]                      // direct: the upstream said it
    [InlineData(HttpStatusCode.ProxyAuthenticationRequired, "http://backend.example/x", "socks5://proxy.corp:1080/")] // a SOCKS proxy answers no HTTP
    [InlineData(HttpStatusCode.Unauthorized, "http://backend.example/x", "http://proxy.corp:3128/")]
    [InlineData(HttpStatusCode.OK, "http://backend.example/x", "http://proxy.corp:3128/")]
    public async Task AnyOtherAnswer_PassesThrough(HttpStatusCode status, string destination, string? proxy)
    {
        using var invoker = Invoker(status, proxy);

        using var response = await invoker.SendAsync(new HttpRequestMessage(HttpMethod.Get, destination), CancellationToken.None);

        Assert.Equal(status, response.StatusCode);
    }

    // The handler reads the request's chosen proxy from its OutboundPath, as the failover sets it.
    private static HttpMessageInvoker Invoker(HttpStatusCode status, string? proxy)
    {
        OutboundPath.Pin(new ProxyChoice(proxy is null ? null : new Uri(proxy)));
        return new HttpMessageInvoker(new ProxyRejectionHandler(new Answering(status)));
    }

    private sealed class Answering(HttpStatusCode status) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(status));
    }
}
