namespace ApicastSidecarProxy.Configuration;

/// <summary>
/// The portal route's store of last good configuration answers, served (marked stale) only when the portal cannot be
/// reached.
/// </summary>
public sealed record ConfigCacheOptions
{
    /// <summary>Whether answers are kept at all (CONFIG_CACHE: memory or off). Default: memory.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>
    /// Directory where answers are also kept, encrypted, so they survive a restart (CONFIG_CACHE_DIR). Default: null,
    /// memory only.
    /// </summary>
    public string? Directory { get; init; }

    /// <summary>How long after it was stored an answer may still be served (CONFIG_CACHE_MAX_STALE, seconds). Default: 24 hours.</summary>
    public TimeSpan MaxStale { get; init; } = TimeSpan.FromHours(24);

    /// <summary>Largest answer body kept; a larger one is forwarded and not stored (CONFIG_CACHE_MAX_ENTRY_BYTES). Default: 16 MiB.</summary>
    public long MaxEntryBytes { get; init; } = 16 * 1024 * 1024;

    /// <summary>
    /// Most bytes kept in all, in memory and again on disk; the oldest answers make room (CONFIG_CACHE_MAX_BYTES).
    /// Default: 64 MiB.
    /// </summary>
    public long MaxBytes { get; init; } = 64 * 1024 * 1024;

    public static ConfigCacheOptions Off { get; } = new() { Enabled = false };
}
