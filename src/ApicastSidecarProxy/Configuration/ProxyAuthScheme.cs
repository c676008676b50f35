namespace ApicastSidecarProxy.Configuration;

/// <summary>Which scheme answers a proxy's authentication challenge (PROXY_AUTH).</summary>
public enum ProxyAuthScheme
{
    /// <summary>The strongest scheme the proxy offers: Negotiate, then NTLM, Digest, Basic.</summary>
    Auto,
    Basic,
    Digest,
    Ntlm,
    Negotiate,
}
