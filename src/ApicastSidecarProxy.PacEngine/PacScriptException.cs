namespace ApicastSidecarProxy.PacEngine;

/// <summary>
/// A PAC script failed: it did not parse, its top-level code failed, or an evaluation threw, hit a limit or returned
/// a non-string. The message names the reason (with a line and column where there is one), never the script's text.
/// </summary>
public sealed class PacScriptException(string message, Exception? inner = null) : Exception(message, inner);
