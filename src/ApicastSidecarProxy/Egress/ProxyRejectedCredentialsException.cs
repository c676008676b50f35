using System.Net.Http;

namespace ApicastSidecarProxy.Egress;

/// <summary>An HTTP proxy answered a plain-http request with 407 after SocketsHttpHandler had offered its credentials.</summary>
public sealed class ProxyRejectedCredentialsException() : HttpRequestException(
    "the proxy answered 407 (Proxy Authentication Required) to the request");
