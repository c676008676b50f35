using System.Net;

namespace ApicastSidecarProxy.Egress;

/// <summary>
/// Adapts an <see cref="IProxySelector"/> to the <see cref="IWebProxy"/> SocketsHttpHandler asks. .NET's own
/// environment proxy is not used: its NO_PROXY knows neither '*', CIDR ranges nor ports.
/// </summary>
public sealed class SidecarWebProxy(IProxySelector selector, ICredentials? credentials) : IWebProxy
{
    public ICredentials? Credentials { get; set; } = credentials;

    // SocketsHttpHandler calls IsBypassed, then GetProxy; returning null from GetProxy also means direct.
    public Uri? GetProxy(Uri destination) => selector.SelectProxy(destination);

    public bool IsBypassed(Uri host) => selector.SelectProxy(host) is null;
}
