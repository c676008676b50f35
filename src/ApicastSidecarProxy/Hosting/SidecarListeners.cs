using System.Net;
using ApicastSidecarProxy.Configuration;
using ApicastSidecarProxy.Forwarding;
using ApicastSidecarProxy.ForwardProxy;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace ApicastSidecarProxy.Hosting;

/// <summary>
/// The listeners: one per route, the management listener and, when configured, the forward-proxy listener. Each
/// connection is tagged with its listener's <see cref="ListenerKind"/>, so dispatch never depends on port numbers
/// (which may be 0, chosen at bind time).
/// </summary>
public sealed class SidecarListeners
{
    private const string ItemKey = "apicast-sidecar-proxy.listener";
    private readonly SidecarOptions _options;
    private readonly List<(ListenerKind Kind, IPAddress? Address, int Port)> _listeners = [];
    private readonly List<(string Name, ListenOptions Listener)> _bound = [];

    public SidecarListeners(SidecarOptions options, IReadOnlyList<SidecarRoute> routes)
    {
        _options = options;
        foreach (var route in routes)
        {
            _listeners.Add((new RouteListener(route), options.ListenAddress, route.Options.ListenPort));
        }

        _listeners.Add((new ManagementListener(), options.Management.Address, options.Management.Port));
        if (options.ForwardProxy is { } forward)
        {
            _listeners.Add((new ForwardListener(forward), forward.Address, forward.Port));
        }
    }

    /// <summary>Serves the forward listener's CONNECT requests; set before the server starts when that listener exists.</summary>
    public ForwardTunnelHandler? ForwardTunnels { get; set; }

    public void Configure(KestrelServerOptions kestrel)
    {
        kestrel.AddServerHeader = false;
        kestrel.Limits.MaxRequestBodySize = null; // bodies stream through; a size limit is the upstream's call.
        kestrel.Limits.RequestHeadersTimeout = _options.Client.HeaderTimeout;
        kestrel.Limits.KeepAliveTimeout = _options.Client.IdleTimeout;
        foreach (var (kind, address, port) in _listeners)
        {
            Listen(kestrel, address, port, kind);
        }
    }

    /// <summary>What the listener a request arrived on serves.</summary>
    public static ListenerKind KindOf(HttpContext context) =>
        (ListenerKind)context.Features.Get<IConnectionItemsFeature>()!.Items[ItemKey]!;

    /// <summary>Each listener's name and bound address, once the server has started.</summary>
    public IEnumerable<(string Name, string Address)> BoundAddresses =>
        _bound.Select(b => (b.Name, b.Listener.IPEndPoint!.ToString()));

    private void Listen(KestrelServerOptions kestrel, IPAddress? address, int port, ListenerKind kind)
    {
        void Configure(ListenOptions listener)
        {
            listener.Protocols = HttpProtocols.Http1;
            listener.Use(next => connection =>
            {
                connection.Items[ItemKey] = kind;
                return next(connection);
            });
            if (kind is ForwardListener)
            {
                listener.Use(next => connection => ForwardTunnels!.OnConnectionAsync(connection, next));
            }

            _bound.Add((kind.Name, listener));
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
