using System.Globalization;
using System.Net;
using ApicastSidecarProxy.Caching;
using Microsoft.AspNetCore.Http;

namespace ApicastSidecarProxy.Forwarding;

/// <summary>
/// One GET on the portal route under the configuration cache. A complete 200 answer is recorded (or found unchanged);
/// when the portal cannot be reached (a failure at the proxy or upstream hop, or the portal's own 502/503/504), the
/// stored answer is served instead. Any other answer, a 401 or 403 above all, goes to the client as it is, and a 4xx
/// drops what was stored for the request: a revoked token is never kept alive here.
/// </summary>
public sealed class ConfigurationCacheExchange
{
    private readonly ConfigurationCache _cache;
    private readonly AnswerKey _key;
    private readonly Stream _responseBody;
    private readonly ResponseRecorder? _recorder;
    private readonly StoredAnswer? _previous;
    private (StoredAnswer Answer, HttpStatusCode PortalStatus)? _standIn;

    private ConfigurationCacheExchange(HttpContext context, ConfigurationCache cache, AnswerKey key)
    {
        _cache = cache;
        _key = key;
        _responseBody = context.Response.Body;
        if (cache.TryBeginRecording(key))
        {
            _previous = cache.InMemory(key);
            _recorder = new ResponseRecorder(_responseBody, _previous?.Body, cache.Options.MaxEntryBytes,
                () => context.Response.ContentLength);
            context.Response.Body = _recorder;
        }
    }

    /// <summary>
    /// Starts the cache's part of an exchange; null when the request is not one whose answer is kept (not a GET, or
    /// no credentials at all: neither an Authorization header nor the route's own).
    /// </summary>
    public static ConfigurationCacheExchange? Begin(HttpContext context, ConfigurationCache cache, string? routeAuthorization)
    {
        if (!HttpMethods.IsGet(context.Request.Method))
        {
            return null;
        }

        var authorization = context.Request.Headers.Authorization;
        var credentials = authorization.Count > 0 ? authorization.ToString() : routeAuthorization;
        if (string.IsNullOrEmpty(credentials))
        {
            return null;
        }

        var key = cache.KeyFor(credentials, RequestTarget.Of(context), context.Request.Headers.AcceptEncoding.ToString());
        var exchange = new ConfigurationCacheExchange(context, cache, key);
        context.Features.Set(exchange);
        return exchange;
    }

    /// <summary>
    /// Called with the portal's status before its answer is copied: true when it is a 502, 503 or 504 and a stored
    /// answer will be served instead (the portal's answer is then discarded).
    /// </summary>
    public bool StandsInFor(HttpStatusCode portalStatus)
    {
        if (portalStatus is not (HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout)
            || _cache.Find(_key) is not { } stored)
        {
            return false;
        }

        _standIn = (stored, portalStatus);
        return true;
    }

    /// <summary>
    /// Ends the exchange: stores a complete 200 answer, or serves the stored answer in place of
    /// <paramref name="failure"/> (or of the portal's 502/503/504). Returns the failure the stale answer stands in for,
    /// with a message saying so, or null when nothing stale was served.
    /// </summary>
    public async Task<ForwardingFailure?> CompleteAsync(HttpContext context, ForwardingFailure? failure)
    {
        try
        {
            context.Response.Body = _responseBody;
            if (_standIn is { } standIn)
            {
                return await ServeAsync(context, standIn.Answer, new ForwardingFailure("upstream_unavailable",
                    ForwardingFailure.UpstreamHop, HttpStatusCode.BadGateway,
                    $"the upstream answered {(int)standIn.PortalStatus}"));
            }

            if (failure is null)
            {
                Record(context);
                return null;
            }

            if (failure.Hop == ForwardingFailure.ClientHop || context.Response.HasStarted
                || context.RequestAborted.IsCancellationRequested || _cache.Find(_key) is not { } stored)
            {
                return null;
            }

            return await ServeAsync(context, stored, failure);
        }
        finally
        {
            if (_recorder is not null)
            {
                _cache.EndRecording(_key);
            }
        }
    }

    private void Record(HttpContext context)
    {
        var status = context.Response.StatusCode;
        if (status is >= 400 and < 500)
        {
            // The portal's own word on this request (a revoked token, a deleted service): the stored answer is no
            // longer the last good one, and must not outlive it in an outage.
            _cache.Forget(_key);
            return;
        }

        if (_recorder is null || status != StatusCodes.Status200OK)
        {
            return;
        }

        var headers = KeptHeaders(context.Response.Headers);
        if (_recorder.TooLarge)
        {
            _cache.Forget(_key);
        }
        else if (!_recorder.SameAsPrevious)
        {
            _cache.Store(_key, headers, _recorder.ChangedBody()!);
        }
        else if (_previous!.HasHeaders(headers))
        {
            _cache.Confirm(_key, _previous);
        }
        else
        {
            _cache.Store(_key, headers, _previous.Body);
        }
    }

    private async Task<ForwardingFailure> ServeAsync(HttpContext context, StoredAnswer stored, ForwardingFailure failure)
    {
        var age = _cache.AgeOf(stored);
        await StaleAnswerWriter.WriteAsync(context, stored, age, failure.Code);
        _cache.StaleAnswerServed();
        return failure with
        {
            Message = $"served the answer stored {Math.Max(0, (long)age.TotalSeconds).ToString(CultureInfo.InvariantCulture)} s ago " +
                $"({StaleAnswerWriter.CacheHeader}: {StaleAnswerWriter.Stale}) instead of failing: {failure.Message}",
        };
    }

    private static List<KeyValuePair<string, string>> KeptHeaders(IHeaderDictionary headers)
    {
        var kept = new List<KeyValuePair<string, string>>(StoredAnswer.KeptHeaders.Length);
        foreach (var name in StoredAnswer.KeptHeaders)
        {
            if (headers.TryGetValue(name, out var value))
            {
                kept.Add(new(name, value.ToString()));
            }
        }

        return kept;
    }
}
