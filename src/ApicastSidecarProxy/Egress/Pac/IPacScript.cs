namespace ApicastSidecarProxy.Egress.Pac;

/// <summary>A compiled PAC script, held by the PAC engine until disposed.</summary>
public interface IPacScript : IDisposable
{
    /// <summary>FindProxyForURL(url, host): the script's answer, not yet parsed.</summary>
    /// <exception cref="ProxySelectionException">The script threw, exceeded a limit or returned a non-string, or the engine failed.</exception>
    string FindProxyForUrl(string url, string host);
}
