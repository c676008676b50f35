namespace ApicastSidecarProxy.Egress;

/// <summary>
/// No proxy list could be made for a destination (the PAC script threw, exceeded its limits, or returned something
/// that is not a proxy list). The request fails with proxy_selection_failed; it never goes DIRECT instead. The message
/// is shown to the client and logged: it names what failed, never a URL path or query.
/// </summary>
public sealed class ProxySelectionException(string message, Exception? inner = null) : Exception(message, inner);
