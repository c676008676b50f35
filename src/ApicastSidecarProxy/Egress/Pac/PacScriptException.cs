namespace ApicastSidecarProxy.Egress.Pac;

/// <summary>
/// A PAC script could not be loaded: not fetched, not parsed, or its top-level code failed. The message names the
/// reason (with a line and column where there is one), never the script's text or the URL's userinfo or query.
/// </summary>
public sealed class PacScriptException(string message, Exception? inner = null) : Exception(message, inner);
