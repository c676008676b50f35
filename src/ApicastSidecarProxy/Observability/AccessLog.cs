using Microsoft.Extensions.Logging;

namespace ApicastSidecarProxy.Observability;

/// <summary>One line per exchange. Source-generated: no allocation when the level is off.</summary>
public static partial class AccessLog
{
    public const string Category = "access";

    [LoggerMessage(EventId = 1, EventName = "Exchange", Level = LogLevel.Information,
        Message = "route={Route} method={Method} path={Path} status={Status} duration_ms={DurationMs:F1} bytes_in={BytesIn} bytes_out={BytesOut} error={Error}")]
    public static partial void Exchange(ILogger logger, string route, string method, string path, int status,
        double durationMs, long bytesIn, long bytesOut, string error);

    [LoggerMessage(EventId = 3, EventName = "Headers", Level = LogLevel.Debug,
        Message = "route={Route} {Direction} headers: {Headers}")]
    public static partial void Headers(ILogger logger, string route, string direction, string headers);

    [LoggerMessage(EventId = 2, EventName = "ExchangeFailed", Level = LogLevel.Warning,
        Message = "route={Route} method={Method} path={Path} status={Status} duration_ms={DurationMs:F1} bytes_in={BytesIn} bytes_out={BytesOut} error={Error} hop={Hop} message={FailureMessage}")]
    public static partial void ExchangeFailed(ILogger logger, string route, string method, string path, int status,
        double durationMs, long bytesIn, long bytesOut, string error, string hop, string failureMessage);
}
