using System.Globalization;
using System.Net;
using System.Net.Http;
using System.Security.Authentication;
using System.Text.RegularExpressions;
using ApicastSidecarProxy.Egress;
using ApicastSidecarProxy.Failures;
using Yarp.ReverseProxy.Forwarder;

namespace ApicastSidecarProxy.Forwarding;

/// <summary>Maps YARP's <see cref="ForwarderError"/> and the exception behind it to the failure the client is told.</summary>
public static partial class ForwardingFailureClassifier
{
    /// <summary>Status for an exchange the client abandoned; it is only logged, nobody is left to read it.</summary>
    public const HttpStatusCode ClientClosedRequest = (HttpStatusCode)499;

    public static readonly ForwardingFailure ClientWentAway = new(FailureCode.ClientAborted, ForwardingFailure.ClientHop,
        ClientClosedRequest, "the client went away");

    /// <param name="clientAborted">Whether the client's connection is gone (HttpContext.RequestAborted fired).</param>
    public static ForwardingFailure? Classify(ForwarderError error, Exception? exception, IProxiedPath route, bool clientAborted = false) => error switch
    {
        ForwarderError.None => null,
        ForwarderError.Request => ClassifyException(exception, route),
        // YARP reports SocketsHttpHandler's ConnectTimeout as a timed-out request too; a TimeoutException tells them apart.
        ForwarderError.RequestTimedOut when Find<TimeoutException>(exception) is not null => ConnectTimeout(route),
        ForwarderError.RequestTimedOut => new ForwardingFailure(FailureCode.UpstreamTimeout, ForwardingFailure.UpstreamHop,
            HttpStatusCode.GatewayTimeout, "the upstream did not answer within UPSTREAM_TIMEOUT"),
        ForwarderError.RequestBodyClient when !clientAborted => new ForwardingFailure(FailureCode.BadRequestBody,
            ForwardingFailure.ClientHop, HttpStatusCode.BadRequest, "the request body could not be read (malformed or cut short)"),
        ForwarderError.RequestCanceled or ForwarderError.RequestBodyCanceled or ForwarderError.ResponseBodyCanceled
            or ForwarderError.RequestBodyClient or ForwarderError.ResponseBodyClient => ClientWentAway,
        ForwarderError.RequestBodyDestination when Find<OperationCanceledException>(exception) is not null => new ForwardingFailure(FailureCode.UpstreamTimeout, ForwardingFailure.UpstreamHop, HttpStatusCode.GatewayTimeout,
            "the upstream stopped reading the request body for UPSTREAM_TIMEOUT"),
        ForwarderError.RequestBodyDestination => Upstream(FailureCode.UpstreamUnreachable,
            "the upstream closed the connection while receiving the request body"),
        // YARP cancels a body copy that sees no byte for its activity timeout (UPSTREAM_TIMEOUT).
        ForwarderError.ResponseBodyDestination when Find<OperationCanceledException>(exception) is not null => new ForwardingFailure(FailureCode.UpstreamTimeout, ForwardingFailure.UpstreamHop, HttpStatusCode.GatewayTimeout,
            "the upstream sent no response body byte for UPSTREAM_TIMEOUT"),
        ForwarderError.ResponseBodyDestination => Upstream(FailureCode.UpstreamResponseAborted,
            "the upstream closed the connection while sending the response body"),
        _ => Upstream(FailureCode.UpstreamError, exception is null ? $"forwarding failed ({error})" : $"forwarding failed ({error}): {InnermostMessage(exception)}"),
    };

    /// <summary>Classifies an exception from sending a request through the outbound handler.</summary>
    public static ForwardingFailure ClassifyException(Exception? exception, IProxiedPath route)
    {
        var viaProxy = route.Proxy is not null;
        if (Find<TimeoutException>(exception) is not null)
        {
            return ConnectTimeout(route);
        }

        if (Find<ProxyClosedTunnelRequestException>(exception) is { } closed)
        {
            return new ForwardingFailure(FailureCode.ProxyRefused, ForwardingFailure.ProxyHop, HttpStatusCode.BadGateway,
                $"{closed.Message} (proxy {route.Proxy})");
        }

        if (Find<ProxyRejectedCredentialsException>(exception) is not null)
        {
            return ProxyAuthFailed(route, "answered 407");
        }

        if (Find<ProxySelectionException>(exception) is { } selection)
        {
            return SelectionFailed(selection);
        }

        if (Find<HttpRequestException>(exception) is not { } request)
        {
            return Upstream(FailureCode.UpstreamError, exception?.Message ?? "forwarding failed");
        }

        return request.HttpRequestError switch
        {
            HttpRequestError.ProxyTunnelError => ClassifyTunnelFailure(request, route),
            HttpRequestError.SecureConnectionError when Find<CertificateRejectedException>(request) is { AtProxy: true } rejected =>
                new ForwardingFailure(FailureCode.ProxyTlsFailed, ForwardingFailure.ProxyHop, HttpStatusCode.BadGateway,
                    $"TLS handshake with the proxy {route.Proxy} failed: {rejected.Message}"),
            HttpRequestError.SecureConnectionError => Upstream(FailureCode.UpstreamTlsFailed,
                $"TLS handshake with the upstream failed: {TlsReason(request)}"),
            HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError when viaProxy => new ForwardingFailure(FailureCode.ProxyUnreachable, ForwardingFailure.ProxyHop, HttpStatusCode.BadGateway,
                $"cannot connect to the proxy {route.Proxy}: {InnermostMessage(request)}"),
            HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError => Upstream(FailureCode.UpstreamUnreachable,
                $"cannot connect to the upstream: {InnermostMessage(request)}"),
            _ => Upstream(FailureCode.UpstreamUnreachable, $"the upstream connection failed: {InnermostMessage(request)}"),
        };
    }

    /// <summary>
    /// Classifies the failure of a request the sidecar sends itself (readiness probe, `check`) under a deadline:
    /// upstream_timeout when that deadline fired, otherwise as <see cref="ClassifyException"/>, where the handler's own
    /// CONNECT_TIMEOUT (also a cancellation) becomes connect_timeout at its hop.
    /// </summary>
    /// <param name="deadlineText">The deadline as the message names it, e.g. "70s".</param>
    public static ForwardingFailure ClassifyOwnRequest(Exception exception, IProxiedPath route, CancellationToken deadline,
        string deadlineText) =>
        exception is OperationCanceledException && deadline.IsCancellationRequested
            ? new ForwardingFailure(FailureCode.UpstreamTimeout, ForwardingFailure.UpstreamHop, HttpStatusCode.GatewayTimeout,
                $"no answer within {deadlineText}")
            : ClassifyException(exception, route);

    /// <summary>The failure, naming the proxy-list entries that failed before the one it happened on, if any.</summary>
    public static ForwardingFailure? WithFailedBefore(ForwardingFailure? failure, OutboundPath path) =>
        failure is null || path.FailedBefore.Count == 0
            ? failure
            : failure with { Message = $"{failure.Message} (tried before: {string.Join("; ", path.FailedBefore)})" };

    /// <summary>The failure of a request for which no proxy list could be made (it was not sent anywhere).</summary>
    public static ForwardingFailure SelectionFailed(ProxySelectionException exception) =>
        new(FailureCode.ProxySelectionFailed, ForwardingFailure.ProxyHop, HttpStatusCode.BadGateway,
            $"no proxy could be selected: {exception.Message}");

    private static ForwardingFailure ConnectTimeout(IProxiedPath route) => route.Proxy is null
        ? new ForwardingFailure(FailureCode.ConnectTimeout, ForwardingFailure.UpstreamHop, HttpStatusCode.GatewayTimeout,
            "no connection to the upstream within CONNECT_TIMEOUT (TCP or TLS)")
        : new ForwardingFailure(FailureCode.ConnectTimeout, ForwardingFailure.ProxyHop, HttpStatusCode.GatewayTimeout,
            $"no connection through the proxy {route.Proxy} within CONNECT_TIMEOUT (TCP, CONNECT or TLS)");

    private static ForwardingFailure ClassifyTunnelFailure(HttpRequestException exception, IProxiedPath route)
    {
        if (IsSocksAuthenticationFailure(exception))
        {
            return new ForwardingFailure(FailureCode.ProxyAuthFailed, ForwardingFailure.ProxyHop, HttpStatusCode.BadGateway,
                $"the SOCKS proxy {route.Proxy} rejected the user name and password: check the proxy user and password");
        }

        // .NET reports the proxy's CONNECT answer only inside the message ("... failed with status code '407'.").
        var match = TunnelStatus().Match(exception.Message);
        if (!match.Success)
        {
            return new ForwardingFailure(FailureCode.ProxyRefused, ForwardingFailure.ProxyHop, HttpStatusCode.BadGateway,
                $"the proxy {route.Proxy} did not open the tunnel: {InnermostMessage(exception)}");
        }

        return ClassifyTunnelStatus(int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), route);
    }

    /// <summary>The failure a proxy's answer to CONNECT other than 2xx means.</summary>
    public static ForwardingFailure ClassifyTunnelStatus(int status, IProxiedPath route)
    {
        var failure = status switch
        {
            // tinyproxy answers a wrong password with 401, squid and most others with 407.
            401 or 407 => ProxyAuthFailed(route, $"CONNECT answered {status}"),
            // A proxy answers CONNECT with 5xx when it cannot reach the destination (tinyproxy: 500, squid: 503).
            500 or 502 or 503 or 504 => Upstream(FailureCode.UpstreamUnreachable,
                $"the proxy {route.Proxy} could not reach the upstream (CONNECT answered {status})"),
            _ => new ForwardingFailure(FailureCode.ProxyRefused, ForwardingFailure.ProxyHop, HttpStatusCode.BadGateway,
                $"the proxy {route.Proxy} refused the tunnel (CONNECT answered {status})"),
        };
        return failure with { ProxyAnswer = status };
    }

    private static ForwardingFailure ProxyAuthFailed(IProxiedPath route, string answer) =>
        new(FailureCode.ProxyAuthFailed, ForwardingFailure.ProxyHop, HttpStatusCode.BadGateway, route.ProxySchemeTried is { } scheme
            ? $"the proxy {route.Proxy} rejected the {scheme} credentials ({answer}): check the proxy user and password"
            : $"the proxy {route.Proxy} demands authentication ({answer}) and no credentials for a scheme it offered are configured");

    // .NET's SocksException is internal: recognised by its name and its "Failed to authenticate" message.
    private static bool IsSocksAuthenticationFailure(HttpRequestException exception) =>
        exception.InnerException is { } inner
        && inner.GetType().Name == "SocksException"
        && inner.Message.Contains("authenticate", StringComparison.OrdinalIgnoreCase);

    private static string TlsReason(HttpRequestException exception) =>
        Find<CertificateRejectedException>(exception)?.Message
        ?? Find<AuthenticationException>(exception)?.Message
        ?? InnermostMessage(exception);

    private static ForwardingFailure Upstream(FailureCode code, string message) =>
        new(code, ForwardingFailure.UpstreamHop, HttpStatusCode.BadGateway, message);

    private static T? Find<T>(Exception? exception) where T : Exception
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is T found)
            {
                return found;
            }
        }

        return null;
    }

    private static string InnermostMessage(Exception exception)
    {
        var current = exception;
        while (current.InnerException is not null)
        {
            current = current.InnerException;
        }

        return current.Message;
    }

    [GeneratedRegex(@"status code '(\d{3})'")]
    private static partial Regex TunnelStatus();
}
