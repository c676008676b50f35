namespace ApicastSidecarProxy.Egress;

/// <summary>
/// The way out of one exchange or tunnel, recorded as it is taken: which entry of the proxy list is in use, which
/// scheme answered its challenge, and which entries failed before it. The single source for the access log, error
/// messages and `check`. It travels with the request's execution context, so SocketsHttpHandler's proxy and
/// credential callbacks (which see only URIs) find the request's own choice.
/// </summary>
public sealed class OutboundPath : IProxiedPath
{
    private static readonly AsyncLocal<OutboundPath?> CurrentPath = new();

    private List<string>? _failedBefore;

    /// <summary>The path of the exchange running in this execution context, if one began.</summary>
    public static OutboundPath? Current => CurrentPath.Value;

    /// <summary>Starts a path for the exchange running in the caller's execution context (and what it calls).</summary>
    public static OutboundPath Begin()
    {
        var path = new OutboundPath();
        CurrentPath.Value = path;
        return path;
    }

    /// <summary>
    /// Starts a path that goes out through <paramref name="choice"/> only, whatever the proxy list says: how readiness
    /// probes each entry of a route's list.
    /// </summary>
    public static OutboundPath Pin(ProxyChoice choice)
    {
        var path = Begin();
        path.Use(choice);
        path.Pinned = true;
        return path;
    }

    /// <summary>Whether the entry was fixed by <see cref="Pin"/>: no other entry is tried.</summary>
    public bool Pinned { get; private set; }

    private ProxyChoice? _choice;

    /// <summary>Whether an entry was chosen: until then, no connection may be made (see <see cref="SidecarWebProxy"/>).</summary>
    public bool Chosen => _choice.HasValue;

    public Uri? Proxy => _choice?.Proxy;

    public string? ProxySchemeTried { get; set; }

    /// <summary>The entry in use as logged: the proxy's scheme://host:port, "DIRECT", or "-" before any was chosen.</summary>
    public string Description => _choice?.Label ?? "-";

    /// <summary>The entries that failed earlier in this request, with why: "http://a:3128 (Connection refused)".</summary>
    public IReadOnlyList<string> FailedBefore => _failedBefore ?? [];

    public void Use(ProxyChoice choice)
    {
        _choice = choice;
        ProxySchemeTried = null;
    }

    public void RecordFailure(string reason) => (_failedBefore ??= []).Add($"{Description} ({reason})");
}
