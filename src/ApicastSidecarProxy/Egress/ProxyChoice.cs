namespace ApicastSidecarProxy.Egress;

/// <summary>One entry of a proxy list (a PAC result, or https_proxy followed by PROXY_FAILOVER): a proxy, or DIRECT.</summary>
public readonly record struct ProxyChoice
{
    private readonly string? _label;

    /// <param name="proxy">scheme://host:port of the proxy (http, https, socks4, socks4a, socks5), never with userinfo; null: DIRECT.</param>
    public ProxyChoice(Uri? proxy)
    {
        Proxy = proxy;
        // Computed once: lists are built at start-up or cached per host, and every request logs and counts its entry.
        _label = proxy?.GetLeftPart(UriPartial.Authority);
    }

    public static ProxyChoice Direct { get; } = new(null);

    /// <summary>The proxy; null: DIRECT.</summary>
    public Uri? Proxy { get; }

    /// <summary>The entry as logs, messages and metric labels write it: scheme://host:port, or DIRECT.</summary>
    public string Label => _label ?? "DIRECT";

    public bool IsDirect => Proxy is null;

    public override string ToString() => Label;

    /// <summary>A list as `check` and the start-up lines write it: "a, then b", or <paramref name="direct"/> for DIRECT alone.</summary>
    public static string Describe(IReadOnlyList<ProxyChoice> choices, string direct) =>
        choices is [{ IsDirect: true }] ? direct : string.Join(", then ", choices.Select(choice => choice.Label));
}
