using Microsoft.Extensions.Logging;

namespace ApicastSidecarProxy.Configuration;

/// <summary>How logs are written to stdout.</summary>
public sealed record LogOptions
{
    /// <summary>"text" (one line per event) or "json" (one object per line) (LOG_FORMAT). Default: text.</summary>
    public LogFormat Format { get; init; } = LogFormat.Text;

    /// <summary>
    /// Minimum level (LOG_LEVEL: trace, debug, information, warning, error, critical). Default: information, which
    /// includes the access log. At debug, request and response headers are logged too, redacted.
    /// </summary>
    public LogLevel Level { get; init; } = LogLevel.Information;
}

public enum LogFormat
{
    Text,
    Json,
}
