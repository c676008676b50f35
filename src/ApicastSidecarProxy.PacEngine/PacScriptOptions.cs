namespace ApicastSidecarProxy.PacEngine;

/// <summary>What a PAC script may use: its host's DNS and clock, and the limits of one evaluation.</summary>
public sealed record PacScriptOptions
{
    public static PacScriptOptions Default { get; } = new();

    /// <summary>Answers dnsResolve, isResolvable, isInNet and myIpAddress. The default is <see cref="SystemPacDns"/>.</summary>
    public IPacDns Dns { get; init; } = SystemPacDns.Instance;

    /// <summary>The clock of weekdayRange, dateRange and timeRange. The default is the system clock.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>The longest one evaluation (or the script's top-level code) may run. The default is 2 seconds.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>The most statements one evaluation may execute. The default is 1,000,000.</summary>
    public int MaxStatements { get; init; } = 1_000_000;

    /// <summary>The deepest call stack of an evaluation. The default is 64.</summary>
    public int MaxRecursion { get; init; } = 64;

    /// <summary>The most bytes one evaluation may allocate. The default is 16 MiB.</summary>
    public long MemoryLimit { get; init; } = 16 * 1024 * 1024;
}
