namespace ApicastSidecarProxy.Egress;

/// <summary>One entry of a proxy list (a PAC result, or https_proxy followed by PROXY_FAILOVER): a proxy, or DIRECT.</summary>
/// <param name="Proxy">scheme://host:port of the proxy (http, https, socks4, socks4a, socks5), never with userinfo; null: DIRECT.</param>
public readonly record struct ProxyChoice(Uri? Proxy)
{
    public static ProxyChoice Direct => default;

    public bool IsDirect => Proxy is null;

    public override string ToString() => Proxy is { } proxy ? proxy.GetLeftPart(UriPartial.Authority) : "DIRECT";
}
