using System.Net;
using ApicastSidecarProxy.Configuration;
using ApicastSidecarProxy.Failures;
using ApicastSidecarProxy.Forwarding;
using Microsoft.AspNetCore.Http;

namespace ApicastSidecarProxy.ForwardProxy;

/// <summary>
/// The forward listener's requests that Kestrel parses: an absolute-form http:// request (GET http://host/path) to an
/// allow-listed destination is forwarded like a route request (through http_proxy when set; hop-by-hop headers and
/// Proxy-Authorization removed); anything else is refused without connecting anywhere.
/// </summary>
public sealed class ForwardRequests(ForwardProxyOptions options, ExchangeHandler exchanges)
{
    private static readonly SidecarRouteOptions Destinations = new(ForwardTunnelHandler.RouteName, 0,
        new Uri("http://forward.invalid/"), UpstreamCredentials: null, SettingNames.ForwardProxyAllow, AcceptsAbsoluteForm: true);

    // Where refusals are answered and logged: nothing is ever sent to its upstream.
    private readonly SidecarRoute _refusals = new(Destinations);

    public Task HandleAsync(HttpContext context)
    {
        if (Refusal(context, out var destination) is { } refusal)
        {
            return exchanges.HandleAsync(context, _refusals, refusal);
        }

        var route = new SidecarRoute(Destinations with { Upstream = destination });
        return exchanges.HandleAsync(context, route);
    }

    private ForwardingFailure? Refusal(HttpContext context, out Uri destination)
    {
        destination = Destinations.Upstream;
        if (HttpMethods.IsConnect(context.Request.Method))
        {
            return new ForwardingFailure(FailureCode.ConnectRefused, ForwardingFailure.ClientHop, HttpStatusCode.MethodNotAllowed,
                "CONNECT must be the first request on its connection: open a new connection for it");
        }

        var target = RequestTarget.Of(context);
        if (!target.StartsWith("http://", StringComparison.OrdinalIgnoreCase)
            || !Uri.TryCreate(target, UriKind.Absolute, out var uri) || uri.UserInfo.Length > 0)
        {
            return new ForwardingFailure(FailureCode.OriginFormRefused, ForwardingFailure.ClientHop, HttpStatusCode.BadRequest,
                "the forward proxy takes CONNECT host:port, or an absolute http:// target without user information (GET http://host/path)");
        }

        var host = uri.HostNameType == UriHostNameType.IPv6 ? uri.Host.Trim('[', ']') : uri.Host;
        if (!options.Allow.Allows(host, uri.Port, tunnel: false))
        {
            return new ForwardingFailure(FailureCode.ForwardDenied, ForwardingFailure.ClientHop, HttpStatusCode.Forbidden,
                $"{uri.Host}:{uri.Port} is not in {SettingNames.ForwardProxyAllow}");
        }

        destination = new Uri(uri.GetLeftPart(UriPartial.Authority) + "/");
        return null;
    }
}
