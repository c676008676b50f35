namespace ApicastSidecarProxy.Logging;

/// <summary>
/// Every event id the sidecar logs, in one place so that none is used twice and each stays stable for log queries
/// (the number shows in every line: "access[1]", "sidecar[107]"). A unit test checks they are distinct.
/// </summary>
public static class LogEvents
{
    // Category "access": one line per exchange or tunnel.
    public const int Exchange = 1;
    public const int ExchangeFailed = 2;
    public const int ExchangeHeaders = 3;

    // Category "sidecar": start-up.
    public const int Route = 100;
    public const int BackendDefault = 101;
    public const int Proxy = 102;
    public const int NoProxy = 103;
    public const int Timeouts = 104;
    public const int ExtraTrust = 105;
    public const int TlsVerificationDisabled = 106;
    public const int Listening = 107;
    public const int CannotStart = 108;
    public const int ConnectionLimit = 109;
    public const int ConfigCacheOff = 111;
    public const int ForwardProxy = 112;
    public const int ConfigCache = 113;
    public const int ProxyPac = 117;
    public const int ProxyFailoverList = 118;

    // Category "egress": the proxy list at run time.
    public const int ProxySkipped = 300;
    public const int PacRefreshFailed = 301;
    public const int PacReplaced = 302;

    // Category "lifetime": the drain after SIGTERM/SIGINT.
    public const int Draining = 110;

    // Category "readiness": the background probes.
    public const int RouteReady = 200;
    public const int RouteNotReady = 201;
}

/// <summary>The sidecar's log categories (the word before the event id in a line).</summary>
public static class LogCategories
{
    public const string Access = "access";
    public const string Sidecar = "sidecar";
    public const string Lifetime = "lifetime";
    public const string Readiness = "readiness";
    public const string Egress = "egress";
}
