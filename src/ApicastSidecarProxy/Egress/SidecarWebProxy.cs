using System.Net;

namespace ApicastSidecarProxy.Egress;

/// <summary>
/// What SocketsHttpHandler asks for the proxy: the entry chosen for the request now sending (its
/// <see cref="OutboundPath"/>, filled in by <see cref="ProxyFailover"/>). SocketsHttpHandler swallows any exception from
/// here and then connects directly, so nothing is decided here: a request without a chosen entry gets a proxy that
/// cannot resolve, and fails closed.
/// </summary>
public sealed class SidecarWebProxy(ICredentials? credentials) : IWebProxy
{
    /// <summary>The proxy of a request that reached the handler without a choice: the .invalid domain never resolves.</summary>
    public static readonly Uri Unselected = new("http://no-proxy-was-selected.invalid:9/");

    public ICredentials? Credentials { get; set; } = credentials;

    // SocketsHttpHandler calls IsBypassed, then GetProxy; returning null from GetProxy also means direct.
    public Uri? GetProxy(Uri destination) => OutboundPath.Current is { Chosen: true } path ? path.Proxy : Unselected;

    public bool IsBypassed(Uri host) => OutboundPath.Current is { Chosen: true, Proxy: null };
}
