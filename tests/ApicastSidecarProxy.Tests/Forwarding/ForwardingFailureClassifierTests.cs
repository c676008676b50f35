using System.Net;
using System.Net.Sockets;
using System.Security.Authentication;
using ApicastSidecarProxy.Configuration;
using ApicastSidecarProxy.Egress;
using ApicastSidecarProxy.Failures;
using ApicastSidecarProxy.Forwarding;
using Yarp.ReverseProxy.Forwarder;

namespace ApicastSidecarProxy.Tests.Forwarding;

public class ForwardingFailureClassifierTests
{
    private static readonly IProxiedPath ViaProxy = Route(new Uri("http://proxy.corp:3128/"));
    private static readonly IProxiedPath Direct = Route(null);

    [Theory]
    [InlineData(407, "proxy_auth_failed", "proxy")]
    [InlineData(401, "proxy_auth_failed", "proxy")]
    [InlineData(403, "proxy_refused", "proxy")]
    [InlineData(503, "upstream_unreachable", "upstream")]
    [InlineData(502, "upstream_unreachable", "upstream")]
    public void TunnelStatus_NamesTheHop(int status, string code, string hop)
    {
        // The message .NET writes when the proxy answers CONNECT with anything but 200.
        var exception = new HttpRequestException(HttpRequestError.ProxyTunnelError,
            $"The proxy tunnel request to proxy 'http://proxy.corp:3128/' failed with status code '{status}'.");

        var failure = ForwardingFailureClassifier.Classify(ForwarderError.Request, exception, ViaProxy)!;

        Assert.Equal(code, failure.CodeText);
        Assert.Equal(hop, failure.Hop);
        Assert.Equal(HttpStatusCode.BadGateway, failure.Status);
    }

    [Fact]
    public void ConnectionRefused_ViaProxy_IsTheProxyHop()
    {
        var exception = new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused (proxy.corp:3128)",
            new SocketException((int)SocketError.ConnectionRefused));

        var failure = ForwardingFailureClassifier.Classify(ForwarderError.Request, exception, ViaProxy)!;

        Assert.Equal(FailureCode.ProxyUnreachable, failure.Code);
        Assert.Equal("proxy", failure.Hop);
    }

    [Fact]
    public void ConnectionRefused_Direct_IsTheUpstreamHop()
    {
        var exception = new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused");

        Assert.Equal(FailureCode.UpstreamUnreachable, ForwardingFailureClassifier.Classify(ForwarderError.Request, exception, Direct)!.Code);
    }

    [Fact]
    public void TlsFailure_CarriesTheReason()
    {
        var exception = new HttpRequestException(HttpRequestError.SecureConnectionError, "The SSL connection could not be established",
            new AuthenticationException("The remote certificate is invalid because of errors in the certificate chain: UntrustedRoot"));

        var failure = ForwardingFailureClassifier.Classify(ForwarderError.Request, exception, ViaProxy)!;

        Assert.Equal(FailureCode.UpstreamTlsFailed, failure.Code);
        Assert.Contains("UntrustedRoot", failure.Message);
    }

    [Fact]
    public void ConnectTimeout_Is504()
    {
        var exception = new TaskCanceledException("timed out", new TimeoutException());

        var failure = ForwardingFailureClassifier.Classify(ForwarderError.Request, exception, ViaProxy)!;

        Assert.Equal(FailureCode.ConnectTimeout, failure.Code);
        Assert.Equal(HttpStatusCode.GatewayTimeout, failure.Status);
    }

    [Fact]
    public void ActivityTimeout_IsUpstreamTimeout()
    {
        var failure = ForwardingFailureClassifier.Classify(ForwarderError.RequestTimedOut, null, ViaProxy)!;

        Assert.Equal(FailureCode.UpstreamTimeout, failure.Code);
        Assert.Equal(HttpStatusCode.GatewayTimeout, failure.Status);
    }

    [Fact]
    public void NoError_IsNoFailure()
    {
        Assert.Null(ForwardingFailureClassifier.Classify(ForwarderError.None, null, Direct));
    }

    private static IProxiedPath Route(Uri? proxy) => new TakenPath(proxy, null);

    private sealed record TakenPath(Uri? Proxy, string? ProxySchemeTried) : IProxiedPath;
}
