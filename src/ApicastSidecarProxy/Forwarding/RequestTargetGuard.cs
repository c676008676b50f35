using System.Buffers;
using System.Net;
using ApicastSidecarProxy.Failures;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace ApicastSidecarProxy.Forwarding;

/// <summary>
/// Refuses requests that try to use the sidecar as an open forward proxy. The sidecar only ever reaches its configured
/// upstreams; a CONNECT or an absolute-form target (GET http://other.example/) is refused rather than reinterpreted.
/// </summary>
public static class RequestTargetGuard
{
    // Every char.IsControl character (C0, DEL and C1), found by one vectorized search: none in almost every target.
    private static readonly SearchValues<char> Controls = SearchValues.Create(
        Enumerable.Range(0, 0xA0).Select(c => (char)c).Where(char.IsControl).ToArray());

    /// <param name="acceptsAbsoluteForm">True on the forward listener, whose allow-list has checked the destination.</param>
    public static ForwardingFailure? Check(HttpContext context, bool acceptsAbsoluteForm = false)
    {
        if (HttpMethods.IsConnect(context.Request.Method))
        {
            return new ForwardingFailure(FailureCode.ConnectRefused, ForwardingFailure.ClientHop, HttpStatusCode.MethodNotAllowed,
                "a route listener is not a forward proxy: CONNECT is refused (see FORWARD_PROXY_PORT)");
        }

        var target = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (target is not null && !target.StartsWith('/') && !acceptsAbsoluteForm)
        {
            return new ForwardingFailure(FailureCode.AbsoluteFormRefused, ForwardingFailure.ClientHop, HttpStatusCode.BadRequest,
                "the request target must be a path (origin-form); a route listener is not a forward proxy (see FORWARD_PROXY_PORT)");
        }

        // RFC 9112 allows no control character in a request target; Kestrel passes CR, TAB and ESC through.
        if (target is not null && target.AsSpan().ContainsAny(Controls))
        {
            return new ForwardingFailure(FailureCode.BadRequestTarget, ForwardingFailure.ClientHop, HttpStatusCode.BadRequest,
                "the request target contains a control character");
        }

        return null;
    }
}
