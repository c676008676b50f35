using Microsoft.Extensions.Logging;

namespace ApicastSidecarProxy.Logging;

/// <summary>What happens to the proxy list at run time: entries skipped after a failure, PAC script refreshes.</summary>
public static partial class EgressLog
{
    public const string Category = LogCategories.Egress;

    [LoggerMessage(EventId = LogEvents.ProxySkipped, EventName = "ProxySkipped", Level = LogLevel.Warning,
        Message = "proxy {Proxy} failed ({Reason}): skipped for {RetryAfterSeconds} s ({RetryAfterVariable}); {Next}")]
    public static partial void ProxySkipped(ILogger logger, string proxy, string reason, double retryAfterSeconds,
        string retryAfterVariable, string next);

    [LoggerMessage(EventId = LogEvents.PacRefreshFailed, EventName = "PacRefreshFailed", Level = LogLevel.Warning,
        Message = "the PAC script could not be refreshed ({Reason}): the last good one stays in use")]
    public static partial void PacRefreshFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = LogEvents.PacReplaced, EventName = "PacReplaced", Level = LogLevel.Information,
        Message = "the PAC script changed: the new one is in use")]
    public static partial void PacReplaced(ILogger logger);
}
