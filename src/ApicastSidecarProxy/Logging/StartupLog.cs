using ApicastSidecarProxy.Configuration;
using ApicastSidecarProxy.Redaction;
using Microsoft.Extensions.Logging;

namespace ApicastSidecarProxy.Logging;

/// <summary>The effective configuration, printed once at start with every secret masked.</summary>
public static partial class StartupLog
{
    public const string Category = LogCategories.Sidecar;

    /// <param name="proxiesOf">The proxy list each route's upstream is reached through, as written ("direct" when directly).</param>
    public static void Write(ILogger logger, SidecarOptions options, Func<Uri, string> proxiesOf)
    {
        foreach (var route in options.Routes)
        {
            var upstream = route.UpstreamCredentials is null
                ? route.Upstream.ToString()
                : route.Upstream.ToString().Replace("://", "://" + QueryRedactor.Mask + "@", StringComparison.Ordinal);
            Route(logger, route.Name, upstream, route.EndpointVariable, proxiesOf(route.Upstream));
        }

        var defaultBackend = new Uri(SettingNames.DefaultBackendEndpoint);
        if (options.Routes.Any(r => r.EndpointVariable == SettingNames.BackendEndpoint && r.Upstream == defaultBackend))
        {
            BackendDefault(logger, SettingNames.BackendEndpoint, SettingNames.DefaultBackendEndpoint);
        }

        foreach (var proxy in options.Proxy.Endpoints)
        {
            Proxy(logger, proxy.Variable, proxy.Uri.ToString(), Describe(proxy.Credentials, options.Proxy.AuthScheme));
        }

        if (options.Proxy.Pac is { } pac)
        {
            ProxyPac(logger, WithoutSecrets(pac.Location), SettingNames.ProxyPac, pac.Refresh.TotalSeconds,
                Describe(pac.Credentials, options.Proxy.AuthScheme));
        }

        if (options.Proxy.Failover.Count > 0 || options.Proxy.Pac is not null)
        {
            ProxyFailoverList(logger, options.Proxy.RetryAfter.TotalSeconds, SettingNames.ProxyRetryAfter);
        }

        NoProxy(logger, options.Proxy.NoProxy.IsEmpty ? "(none)" : options.Proxy.NoProxy.ToString());
        Timeouts(logger, options.ConnectTimeout.TotalSeconds, options.UpstreamTimeout.TotalSeconds);
        ConnectionLimit(logger, options.UpstreamMaxConnections, SettingNames.UpstreamMaxConnections,
            options.UpstreamConcurrencyFloor, SettingNames.UpstreamConcurrencyFloor);

        if (options.ForwardProxy is { } forward)
        {
            ForwardProxy(logger, forward.Allow.Text, forward.MaxTunnels, SettingNames.ForwardProxyAllow);
        }

        if (options.ConfigCache.Enabled)
        {
            ConfigCache(logger, options.ConfigCache.Directory is { } directory ? $"memory and {directory}" : "memory",
                options.ConfigCache.MaxStale.TotalSeconds, options.ConfigCache.MaxEntryBytes, options.ConfigCache.MaxBytes);
        }
        else
        {
            ConfigCacheOff(logger, SettingNames.ConfigCache);
        }

        if (options.Tls.ExtraTrustedCertificatesFile is { } caFile)
        {
            ExtraTrust(logger, caFile, options.Tls.ExtraTrustedCertificates.Count);
        }

        if (options.Tls.SkipVerification)
        {
            TlsVerificationDisabled(logger, SettingNames.UpstreamTlsInsecureSkipVerify);
        }
    }

    // A PAC URL may carry a token in its userinfo or query: neither is printed.
    private static string WithoutSecrets(string location) =>
        Uri.TryCreate(location, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? uri.GetLeftPart(UriPartial.Path).Replace(uri.UserInfo + "@", "", StringComparison.Ordinal)
            : location;

    private static string Describe(ProxyCredentials? credentials, ProxyAuthScheme scheme) => credentials switch
    {
        null => "none",
        _ => $"user {(credentials.Domain is { } domain ? domain + "\\" : "")}{credentials.UserName}, " +
             $"password {(credentials.HasPassword ? "set" : "empty")}, scheme {scheme.ToString().ToLowerInvariant()}",
    };

    [LoggerMessage(EventId = LogEvents.Route, Level = LogLevel.Information,
        Message = "route={Route} upstream={Upstream} (from {Variable}) via={Proxy}")]
    private static partial void Route(ILogger logger, string route, string upstream, string variable, string proxy);

    [LoggerMessage(EventId = LogEvents.BackendDefault, Level = LogLevel.Information,
        Message = "the backend route uses the 3scale SaaS default {Default} (set {Variable} to change it)")]
    private static partial void BackendDefault(ILogger logger, string variable, string @default);

    [LoggerMessage(EventId = LogEvents.Proxy, Level = LogLevel.Information,
        Message = "proxy={Proxy} (from {Variable}) credentials: {Credentials}")]
    private static partial void Proxy(ILogger logger, string variable, string proxy, string credentials);

    [LoggerMessage(EventId = LogEvents.ProxyPac, Level = LogLevel.Information,
        Message = "proxy list from the PAC script {Location} (from {Variable}), fetched again every {RefreshSeconds}s; credentials for its proxies: {Credentials}")]
    private static partial void ProxyPac(ILogger logger, string location, string variable, double refreshSeconds, string credentials);

    [LoggerMessage(EventId = LogEvents.ProxyFailoverList, Level = LogLevel.Information,
        Message = "proxy failover: a proxy that cannot be connected to is skipped for {RetryAfterSeconds}s ({Variable}) and the next one of the list is tried")]
    private static partial void ProxyFailoverList(ILogger logger, double retryAfterSeconds, string variable);

    [LoggerMessage(EventId = LogEvents.NoProxy, Level = LogLevel.Information, Message = "no_proxy={NoProxy}")]
    private static partial void NoProxy(ILogger logger, string noProxy);

    [LoggerMessage(EventId = LogEvents.Timeouts, Level = LogLevel.Information,
        Message = "timeouts: connect={ConnectSeconds}s upstream={UpstreamSeconds}s")]
    private static partial void Timeouts(ILogger logger, double connectSeconds, double upstreamSeconds);

    [LoggerMessage(EventId = LogEvents.ConnectionLimit, Level = LogLevel.Information,
        Message = "at most {Limit} connection(s) open at once per upstream ({Variable}); each route sends {Floor} request(s) at once ({FloorVariable}), more up to that limit while they bring more answers per second; further requests wait their turn")]
    private static partial void ConnectionLimit(ILogger logger, int limit, string variable, int floor, string floorVariable);

    [LoggerMessage(EventId = LogEvents.ForwardProxy, Level = LogLevel.Information,
        Message = "forward proxy: CONNECT and http:// requests to {Allow} only ({Variable}), at most {MaxTunnels} tunnels at once")]
    private static partial void ForwardProxy(ILogger logger, string allow, int maxTunnels, string variable);

    [LoggerMessage(EventId = LogEvents.ConfigCache, Level = LogLevel.Information,
        Message = "config cache: portal answers kept in {Where}, served stale for at most {MaxStaleSeconds}s when the portal cannot be reached (entries up to {MaxEntryBytes} bytes, {MaxBytes} in all)")]
    private static partial void ConfigCache(ILogger logger, string where, double maxStaleSeconds, long maxEntryBytes, long maxBytes);

    [LoggerMessage(EventId = LogEvents.ConfigCacheOff, Level = LogLevel.Information,
        Message = "config cache: off ({Variable}=off); a portal outage fails APIcast's configuration downloads")]
    private static partial void ConfigCacheOff(ILogger logger, string variable);

    [LoggerMessage(EventId = LogEvents.ExtraTrust, Level = LogLevel.Information,
        Message = "trusting {Count} extra CA certificate(s) from {File} in addition to the system store")]
    private static partial void ExtraTrust(ILogger logger, string file, int count);

    [LoggerMessage(EventId = LogEvents.TlsVerificationDisabled, Level = LogLevel.Warning,
        Message = "{Variable}=true: upstream TLS certificates are NOT verified; anyone on the path can read and change the traffic")]
    private static partial void TlsVerificationDisabled(ILogger logger, string variable);

    [LoggerMessage(EventId = LogEvents.Listening, Level = LogLevel.Information, Message = "listening listener={Listener} address=http://{Address}")]
    public static partial void Listening(ILogger logger, string listener, string address);

    [LoggerMessage(EventId = LogEvents.CannotStart, Level = LogLevel.Critical, Message = "cannot start: {Reason}")]
    public static partial void CannotStart(ILogger logger, string reason);
}
