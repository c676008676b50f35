using System.Globalization;

namespace ApicastSidecarProxy.Configuration;

/// <summary>Reads CONFIG_CACHE, CONFIG_CACHE_DIR, CONFIG_CACHE_MAX_STALE and the size limits.</summary>
public static class ConfigCacheOptionsReader
{
    /// <summary>The longest CONFIG_CACHE_MAX_STALE: a configuration older than a month is no safer than none.</summary>
    private static readonly TimeSpan LongestMaxStale = TimeSpan.FromDays(30);

    private const UnixFileMode PrivateDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    public static ConfigCacheOptions Read(SettingsSource settings)
    {
        var enabled = settings.Get(SettingNames.ConfigCache)?.ToLowerInvariant() switch
        {
            null or "memory" => true,
            "off" => false,
            var other => throw new ConfigurationException(SettingNames.ConfigCache, $"'{other}' is not a cache mode (memory or off)"),
        };
        if (!enabled)
        {
            return ConfigCacheOptions.Off;
        }

        var defaults = new ConfigCacheOptions();
        var maxEntryBytes = ReadBytes(settings, SettingNames.ConfigCacheMaxEntryBytes, defaults.MaxEntryBytes);
        var maxBytes = ReadBytes(settings, SettingNames.ConfigCacheMaxBytes, defaults.MaxBytes);
        if (maxEntryBytes > maxBytes)
        {
            throw new ConfigurationException(SettingNames.ConfigCacheMaxEntryBytes,
                $"{maxEntryBytes} is more than {SettingNames.ConfigCacheMaxBytes} ({maxBytes})");
        }

        return defaults with
        {
            Directory = PrepareDirectory(settings.Get(SettingNames.ConfigCacheDir)),
            MaxStale = ReadMaxStale(settings, defaults.MaxStale),
            MaxEntryBytes = maxEntryBytes,
            MaxBytes = maxBytes,
        };
    }

    private static TimeSpan ReadMaxStale(SettingsSource settings, TimeSpan defaultValue)
    {
        var value = settings.Get(SettingNames.ConfigCacheMaxStale);
        if (value is null)
        {
            return defaultValue;
        }

        if (!long.TryParse(value.EndsWith('s') ? value[..^1] : value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || seconds < 1 || seconds > LongestMaxStale.TotalSeconds)
        {
            throw new ConfigurationException(SettingNames.ConfigCacheMaxStale,
                $"'{value}' is not a whole number of seconds from 1 to {LongestMaxStale.TotalSeconds} (30 days)");
        }

        return TimeSpan.FromSeconds(seconds);
    }

    private static long ReadBytes(SettingsSource settings, string name, long defaultValue)
    {
        var value = settings.Get(name);
        if (value is null)
        {
            return defaultValue;
        }

        if (!long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var bytes) || bytes < 1 || bytes > int.MaxValue)
        {
            throw new ConfigurationException(name, $"'{value}' is not a number of bytes (1 to {int.MaxValue})");
        }

        return bytes;
    }

    /// <summary>
    /// Creates the directory (0700) when it is missing and proves it writable, so a wrong path stops start-up instead of
    /// failing silently at the first answer. Returns the full path.
    /// </summary>
    private static string? PrepareDirectory(string? path)
    {
        if (path is null)
        {
            return null;
        }

        try
        {
            var full = Path.GetFullPath(path);
            Directory.CreateDirectory(full, PrivateDirectory);
            var probe = Path.Combine(full, $".write-test-{Environment.ProcessId}");
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
            return full;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new ConfigurationException(SettingNames.ConfigCacheDir, $"'{path}' is not a writable directory: {e.Message}");
        }
    }
}
