using Jint;
using Jint.Runtime;

namespace ApicastSidecarProxy.PacEngine;

/// <summary>Why a PAC evaluation failed, in words safe to show: the script's own error message, or the limit it hit.</summary>
internal static class PacFailure
{
    private const int MaxMessageLength = 200;

    /// <summary>The reason for a failure of the engine, or null for an exception that is not the script's doing.</summary>
    public static string? Describe(Exception exception, PacScriptOptions options) => exception switch
    {
        JavaScriptException e => $"threw: {Shorten(e.Message)} (line {e.Location.Start.Line}, column {e.Location.Start.Column + 1})",
        TimeoutException => $"exceeded its time limit of {options.Timeout.TotalSeconds:0.###} s",
        StatementsCountOverflowException => $"exceeded its statement limit of {options.MaxStatements:N0}",
        RecursionDepthOverflowException => $"exceeded its recursion limit of {options.MaxRecursion}",
        MemoryLimitExceededException => $"exceeded its memory limit of {options.MemoryLimit / (1024.0 * 1024):0.##} MiB",
        JintException e => $"failed: {Shorten(e.Message)}",
        _ => null,
    };

    public static string Shorten(string text) => text.Length <= MaxMessageLength ? text : text[..MaxMessageLength] + "...";
}
