using Microsoft.Extensions.Logging;

namespace ApicastSidecarProxy.Observability;

/// <summary>One line per exchange. No allocation when the level is off, nor for a successful exchange in text.</summary>
public static partial class AccessLog
{
    public const string Category = "access";

    private static readonly EventId ExchangeEvent = new(1, "Exchange");

    /// <summary>
    /// The line of a successful exchange. Its state is an <see cref="ExchangeLogRecord"/>, which the text format writes
    /// without allocating; <paramref name="target"/> is the request target as sent, masked when written.
    /// </summary>
    public static void Exchange(ILogger logger, string route, string method, string target, int status,
        double durationMs, long bytesIn, long bytesOut, string error)
    {
        if (logger.IsEnabled(LogLevel.Information))
        {
            logger.Log(LogLevel.Information, ExchangeEvent,
                new ExchangeLogRecord(route, method, target, status, durationMs, bytesIn, bytesOut, error), null,
                ExchangeLogRecord.Format);
        }
    }

    [LoggerMessage(EventId = 3, EventName = "Headers", Level = LogLevel.Debug,
        Message = "route={Route} {Direction} headers: {Headers}")]
    public static partial void Headers(ILogger logger, string route, string direction, string headers);

    /// <summary>
    /// The line of a failed exchange: the fields of <see cref="Exchange"/>, then the failing hop and why.
    /// <paramref name="target"/> is the request target as sent, masked here.
    /// </summary>
    public static void ExchangeFailed(ILogger logger, string route, string method, string target, int status,
        double durationMs, long bytesIn, long bytesOut, string error, string hop, string failureMessage)
    {
        if (logger.IsEnabled(LogLevel.Warning))
        {
            ExchangeFailedLine(logger, route, method, LoggedTarget.From(target), status, durationMs, bytesIn,
                bytesOut, error, hop, failureMessage);
        }
    }

    [LoggerMessage(EventId = 2, EventName = "ExchangeFailed", Level = LogLevel.Warning,
        Message = ExchangeLogRecord.Template + " hop={Hop} message={FailureMessage}")]
    private static partial void ExchangeFailedLine(ILogger logger, string route, string method, string path, int status,
        double durationMs, long bytesIn, long bytesOut, string error, string hop, string failureMessage);
}
