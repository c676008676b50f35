using System.Diagnostics;
using System.Net;
using ApicastSidecarProxy.Egress;
using ApicastSidecarProxy.Failures;
using ApicastSidecarProxy.Logging;
using ApicastSidecarProxy.Metrics;
using ApicastSidecarProxy.Redaction;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Forwarder;

namespace ApicastSidecarProxy.Forwarding;

/// <summary>Serves one exchange on a route: guard the target, forward, answer failures, write the access-log line.</summary>
public sealed class ExchangeHandler(
    IHttpForwarder forwarder,
    HttpMessageInvoker invoker,
    ForwarderRequestConfig requestConfig,
    SecretScrubber scrubber,
    SidecarMetrics metrics,
    ILogger accessLogger)
{
    /// <param name="refusal">A failure found before the exchange (the forward listener's allow-list): answered, not forwarded.</param>
    public async Task HandleAsync(HttpContext context, SidecarRoute route, ForwardingFailure? refusal = null)
    {
        var started = Stopwatch.GetTimestamp();
        var requestBody = new CountingStream(context.Request.Body);
        var responseBody = new CountingStream(context.Response.Body);
        context.Request.Body = requestBody;
        context.Response.Body = responseBody;

        if (accessLogger.IsEnabled(LogLevel.Debug))
        {
            AccessLog.Headers(accessLogger, route.Name, "request", HeaderRedactor.Describe(context.Request.Headers));
        }

        var path = OutboundPath.Begin();
        var stale = false;
        var failure = refusal ?? RequestTargetGuard.Check(context, route.Options.AcceptsAbsoluteForm);
        if (failure is null)
        {
            var cached = route.ConfigCache is { } cache
                ? ConfigurationCacheExchange.Begin(context, cache, route.DefaultAuthorization)
                : null;
            var limit = route.ConcurrencyLimit;
            failure = limit is null ? null : await WaitForTurnAsync(limit, context);
            if (failure is null)
            {
                var sent = Stopwatch.GetTimestamp();
                TimeSpan? answerTime = null;
                try
                {
                    var error = await forwarder.SendAsync(context, route.DestinationPrefix, invoker, requestConfig, route.Transformer);
                    failure = ForwardingFailureClassifier.WithFailedBefore(ForwardingFailureClassifier.Classify(error,
                        context.GetForwarderErrorFeature()?.Exception, path, context.RequestAborted.IsCancellationRequested), path);
                    // A 5xx can be fast for reasons of its own (a portal answering 503): not the upstream's pace.
                    answerTime = failure is null && context.Response.StatusCode < 500 ? Stopwatch.GetElapsedTime(sent) : null;
                }
                finally
                {
                    limit?.Exit(answerTime);
                }
            }

            if (cached is not null && await cached.CompleteAsync(context, failure) is { } hidden)
            {
                failure = hidden;
                stale = true;
            }
        }

        if (failure is not null && !stale)
        {
            await ErrorResponseWriter.WriteAsync(context, failure, scrubber);
        }

        var status = failure?.Status == ForwardingFailureClassifier.ClientClosedRequest
            ? (int)ForwardingFailureClassifier.ClientClosedRequest
            : context.Response.StatusCode;
        var elapsed = Stopwatch.GetElapsedTime(started);
        metrics.RecordExchange(route.Name, context.Request.Method, status, failure, elapsed.TotalSeconds,
            requestBody.BytesRead, responseBody.BytesWritten);
        if (!accessLogger.IsEnabled(failure is null ? LogLevel.Information : LogLevel.Warning))
        {
            return;
        }

        if (accessLogger.IsEnabled(LogLevel.Debug))
        {
            AccessLog.Headers(accessLogger, route.Name, "response", HeaderRedactor.Describe(context.Response.Headers));
        }

        var target = RequestTarget.Of(context);
        if (failure is null)
        {
            AccessLog.Exchange(accessLogger, route.Name, context.Request.Method, target, status, elapsed.TotalMilliseconds,
                requestBody.BytesRead, responseBody.BytesWritten, "-", context.Connection.RemoteIpAddress,
                context.Request.Headers.TraceParent, path.Description);
        }
        else
        {
            AccessLog.ExchangeFailed(accessLogger, route.Name, context.Request.Method, target, status,
                elapsed.TotalMilliseconds, requestBody.BytesRead, responseBody.BytesWritten, failure.CodeText, failure.Hop,
                scrubber.Scrub(failure.Message), context.Connection.RemoteIpAddress, context.Request.Headers.TraceParent,
                path.Description);
        }
    }

    /// <summary>Null once the exchange may go; else why it may not: no turn within UPSTREAM_TIMEOUT, or the client left.</summary>
    private async ValueTask<ForwardingFailure?> WaitForTurnAsync(AdaptiveConcurrencyLimit limit, HttpContext context)
    {
        try
        {
            await limit.EnterAsync(requestConfig.ActivityTimeout ?? Timeout.InfiniteTimeSpan, context.RequestAborted);
            return null;
        }
        catch (TimeoutException)
        {
            return new ForwardingFailure(FailureCode.UpstreamTimeout, ForwardingFailure.UpstreamHop, HttpStatusCode.GatewayTimeout,
                $"no turn to the upstream came within UPSTREAM_TIMEOUT (the route's concurrency limit: {limit.Limit} requests at once)");
        }
        catch (OperationCanceledException)
        {
            return ForwardingFailureClassifier.ClientWentAway;
        }
    }
}
