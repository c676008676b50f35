using System.Net;

namespace ApicastSidecarProxy.FunctionalTests.Infrastructure;

/// <summary>HttpClients for tests: never pick up the machine's proxy settings, trust only the test CA.</summary>
public static class TestHttpClients
{
    /// <summary>A client that connects directly (no environment proxy) and trusts only <paramref name="ca"/>.</summary>
    public static HttpClient Direct(TestCertificateAuthority? ca = null) => Create(CreateHandler(ca));

    /// <summary>A client that tunnels through <paramref name="proxyUri"/> with <paramref name="credentials"/>.</summary>
    public static HttpClient ThroughProxy(Uri proxyUri, ICredentials? credentials, TestCertificateAuthority? ca = null)
    {
        var handler = CreateHandler(ca);
        handler.UseProxy = true;
        handler.Proxy = new WebProxy(proxyUri) { Credentials = credentials, BypassProxyOnLocal = false };
        return Create(handler);
    }

    private static SocketsHttpHandler CreateHandler(TestCertificateAuthority? ca)
    {
        var handler = new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false, UseCookies = false };
        if (ca is not null) handler.SslOptions.RemoteCertificateValidationCallback = ca.CreateValidationCallback();
        return handler;
    }

    private static HttpClient Create(SocketsHttpHandler handler) =>
        new(handler) { Timeout = TimeSpan.FromSeconds(30) };
}
