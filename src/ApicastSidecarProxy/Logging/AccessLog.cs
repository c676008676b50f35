using System.Net;
using Microsoft.Extensions.Logging;

namespace ApicastSidecarProxy.Logging;

/// <summary>One line per exchange. No allocation when the level is off, nor for a successful exchange in text.</summary>
public static partial class AccessLog
{
    public const string Category = LogCategories.Access;

    private static readonly EventId ExchangeEvent = new(LogEvents.Exchange, "Exchange");
    private static readonly EventId ExchangeFailedEvent = new(LogEvents.ExchangeFailed, "ExchangeFailed");

    /// <summary>
    /// The line of a successful exchange. Its state is an <see cref="ExchangeLogRecord"/>, which the text format writes
    /// without allocating; <paramref name="target"/> is the request target as sent, masked when written.
    /// </summary>
    /// <param name="traceParent">The client's traceparent header, if any: JSON lines carry its trace id.</param>
    public static void Exchange(ILogger logger, string route, string method, string target, int status,
        double durationMs, long bytesIn, long bytesOut, string error, IPAddress? client = null, string? traceParent = null,
        string? proxy = null)
    {
        if (logger.IsEnabled(LogLevel.Information))
        {
            logger.Log(LogLevel.Information, ExchangeEvent,
                new ExchangeLogRecord(route, method, target, status, durationMs, bytesIn, bytesOut, error, client, traceParent,
                    proxy: proxy),
                null, ExchangeLogRecord.Format);
        }
    }

    [LoggerMessage(EventId = LogEvents.ExchangeHeaders, EventName = "Headers", Level = LogLevel.Debug,
        Message = "route={Route} {Direction} headers: {Headers}")]
    public static partial void Headers(ILogger logger, string route, string direction, string headers);

    /// <summary>
    /// The line of a failed exchange: the fields of <see cref="Exchange"/>, then the failing hop and why.
    /// <paramref name="target"/> is the request target as sent, masked when written.
    /// </summary>
    public static void ExchangeFailed(ILogger logger, string route, string method, string target, int status,
        double durationMs, long bytesIn, long bytesOut, string error, string hop, string failureMessage,
        IPAddress? client = null, string? traceParent = null, string? proxy = null)
    {
        if (logger.IsEnabled(LogLevel.Warning))
        {
            logger.Log(LogLevel.Warning, ExchangeFailedEvent,
                new ExchangeLogRecord(route, method, target, status, durationMs, bytesIn, bytesOut, error, client, traceParent,
                    hop, failureMessage, proxy),
                null, ExchangeLogRecord.Format);
        }
    }
}
