using System.Net;
using ApicastSidecarProxy.Observability;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace ApicastSidecarProxy.Forwarding;

/// <summary>
/// Refuses requests that try to use the sidecar as an open forward proxy. The sidecar only ever reaches its configured
/// upstreams; a CONNECT or an absolute-form target (GET http://other.example/) is refused rather than reinterpreted.
/// </summary>
public static class RequestTargetGuard
{
    /// <param name="acceptsAbsoluteForm">True on the forward listener, whose allow-list has checked the destination.</param>
    public static ForwardingFailure? Check(HttpContext context, bool acceptsAbsoluteForm = false)
    {
        if (HttpMethods.IsConnect(context.Request.Method))
        {
            return new ForwardingFailure("connect_refused", ForwardingFailure.ClientHop, HttpStatusCode.MethodNotAllowed,
                "the sidecar is not a forward proxy: CONNECT is refused");
        }

        var target = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (target is not null && !target.StartsWith('/') && !acceptsAbsoluteForm)
        {
            return new ForwardingFailure("absolute_form_refused", ForwardingFailure.ClientHop, HttpStatusCode.BadRequest,
                "the request target must be a path (origin-form); the sidecar is not a forward proxy");
        }

        // RFC 9112 allows no control character in a request target; Kestrel passes CR, TAB and ESC through.
        if (target is not null && LoggedTarget.HasControlCharacter(target))
        {
            return new ForwardingFailure("bad_request_target", ForwardingFailure.ClientHop, HttpStatusCode.BadRequest,
                "the request target contains a control character");
        }

        return null;
    }
}
