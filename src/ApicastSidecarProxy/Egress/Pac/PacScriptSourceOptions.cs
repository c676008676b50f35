namespace ApicastSidecarProxy.Egress.Pac;

/// <summary>What a <see cref="PacScriptSource"/> compiles with, what it checks, and its clock.</summary>
public sealed record PacScriptSourceOptions
{
    /// <summary>Compiles and runs the scripts.</summary>
    public required IPacEngine Engine { get; init; }

    /// <summary>
    /// Destinations the script must give a proxy list for (the routes' upstreams): a script that fails for one is
    /// refused at start-up, and a refreshed one is not taken. The default is none.
    /// </summary>
    public IReadOnlyList<Uri> RequiredDestinations { get; init; } = [];

    /// <summary>The refresh loop's clock. The default is the system clock.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;
}
