using System.Net;

namespace ApicastSidecarProxy.Egress;

/// <summary>
/// The proxy for a forward tunnel's CONNECT, sent for <c>http://HOST:PORT/</c>: chosen as for <c>https://HOST:PORT/</c>,
/// since what travels through a tunnel is (almost always) TLS, as for the routes' https upstreams.
/// </summary>
public sealed class TunnelWebProxy(IProxySelector selector, ICredentials? credentials) : IWebProxy
{
    public ICredentials? Credentials { get; set; } = credentials;

    public Uri? GetProxy(Uri destination) => selector.SelectProxy(AsTunnelDestination(destination));

    public bool IsBypassed(Uri host) => GetProxy(host) is null;

    public static Uri AsTunnelDestination(Uri destination) => new UriBuilder(destination) { Scheme = Uri.UriSchemeHttps }.Uri;
}
