using System.Net;
using ApicastSidecarProxy.Configuration;
using ApicastSidecarProxy.Forwarding;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace ApicastSidecarProxy.Hosting;

/// <summary>
/// One Kestrel listener per route plus the management listener. Each connection is tagged with what its listener
/// serves, so dispatch never depends on port numbers (which may be 0, chosen at bind time).
/// </summary>
public sealed class SidecarListeners(SidecarOptions options, IReadOnlyList<SidecarRoute> routes)
{
    public const string ManagementName = "management";

    private const string ItemKey = "apicast-sidecar-proxy.listener";
    private static readonly object ManagementTag = new();
    private readonly List<(string Name, ListenOptions Listener)> _bound = [];

    public void Configure(KestrelServerOptions kestrel)
    {
        kestrel.AddServerHeader = false;
        kestrel.Limits.MaxRequestBodySize = null; // bodies stream through; a size limit is the upstream's call.
        kestrel.Limits.RequestHeadersTimeout = options.Client.HeaderTimeout;
        kestrel.Limits.KeepAliveTimeout = options.Client.IdleTimeout;
        foreach (var route in routes)
        {
            Listen(kestrel, options.ListenAddress, route.Options.ListenPort, route.Name, route);
        }

        Listen(kestrel, options.Management.Address, options.Management.Port, ManagementName, ManagementTag);
    }

    /// <summary>The route a request arrived for, or null when it came in on the management listener.</summary>
    public static SidecarRoute? RouteOf(HttpContext context) =>
        context.Features.Get<IConnectionItemsFeature>()!.Items[ItemKey] as SidecarRoute;

    /// <summary>Each listener's name and bound address, once the server has started.</summary>
    public IEnumerable<(string Name, string Address)> BoundAddresses =>
        _bound.Select(b => (b.Name, b.Listener.IPEndPoint!.ToString()));

    private void Listen(KestrelServerOptions kestrel, IPAddress? address, int port, string name, object tag)
    {
        void Configure(ListenOptions listener)
        {
            listener.Protocols = HttpProtocols.Http1;
            listener.Use(next => connection =>
            {
                connection.Items[ItemKey] = tag;
                return next(connection);
            });
            _bound.Add((name, listener));
        }

        if (address is not null)
        {
            kestrel.Listen(address, port, Configure);
        }
        else
        {
            kestrel.ListenAnyIP(port, Configure); // [::] dual-stack, 0.0.0.0 without IPv6
        }
    }
}
