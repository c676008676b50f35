using Microsoft.Extensions.Logging;

namespace ApicastSidecarProxy.Configuration;

/// <summary>Reads LOG_FORMAT and LOG_LEVEL.</summary>
public static class LogOptionsReader
{
    public static LogOptions Read(SettingsSource settings) => new()
    {
        Format = settings.Get(SettingNames.LogFormat)?.ToLowerInvariant() switch
        {
            null or "text" => LogFormat.Text,
            "json" => LogFormat.Json,
            var other => throw new ConfigurationException(SettingNames.LogFormat, $"'{other}' is not a log format (text or json)"),
        },
        Level = settings.Get(SettingNames.LogLevel)?.ToLowerInvariant() switch
        {
            null or "information" or "info" => LogLevel.Information,
            "trace" => LogLevel.Trace,
            "debug" => LogLevel.Debug,
            "warning" or "warn" => LogLevel.Warning,
            "error" => LogLevel.Error,
            "critical" => LogLevel.Critical,
            var other => throw new ConfigurationException(SettingNames.LogLevel,
                $"'{other}' is not a log level (trace, debug, information, warning, error, critical)"),
        },
    };
}
