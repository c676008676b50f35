using ApicastSidecarProxy.Configuration;
using ApicastSidecarProxy.Egress.Pac;
using ApicastSidecarProxy.Logging;
using ApicastSidecarProxy.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ApicastSidecarProxy.Egress;

/// <summary>
/// The proxy selector the settings ask for: the PAC script of PROXY_PAC (fetched, run, and refreshed in the
/// background), or https_proxy/http_proxy followed by PROXY_FAILOVER.
/// </summary>
public sealed class ProxySelection : IAsyncDisposable
{
    private readonly PacScriptSource? _pac;

    private ProxySelection(IProxySelector selector, PacScriptSource? pac)
    {
        Selector = selector;
        _pac = pac;
    }

    public IProxySelector Selector { get; }

    /// <summary>Where refreshes of the PAC script are logged; the host's logging is attached once it is built.</summary>
    public ILogger Logger { get; set; } = NullLogger.Instance;

    /// <summary>As <see cref="CreateAsync"/>, but a configuration error is written as start-up writes it, and null returned.</summary>
    public static async Task<ProxySelection?> TryCreateAsync(SidecarOptions options, SidecarMetrics? metrics)
    {
        try
        {
            return await CreateAsync(options.Proxy, options.Tls, options.Routes.Select(r => r.Upstream), metrics);
        }
        catch (ConfigurationException e)
        {
            await SidecarOptionsReader.WriteErrorAsync(e);
            return null;
        }
    }

    /// <param name="upstreams">The routes' upstreams: the PAC script must give a proxy list for each at start-up.</param>
    /// <param name="metrics">Counts failed refreshes of the PAC script; null: not counted (the check command).</param>
    /// <exception cref="ConfigurationException">PROXY_PAC's script cannot be fetched, parsed or run (start-up stops).</exception>
    /// <param name="tls">An https:// PAC URL is trusted as an https:// proxy is: the system's store and UPSTREAM_CA_FILE,
    /// verified even with UPSTREAM_TLS_INSECURE_SKIP_VERIFY (the script decides where every request goes).</param>
    public static async Task<ProxySelection> CreateAsync(ProxyOptions options, TlsOptions tls, IEnumerable<Uri> upstreams,
        SidecarMetrics? metrics, CancellationToken cancellationToken = default)
    {
        if (options.Pac is not { } pac)
        {
            return new ProxySelection(new EnvironmentProxySelector(options), null);
        }

        ProxySelection? selection = null;
        var source = await PacScriptSource.LoadAsync(pac.Location, pac.Refresh,
            PacScriptOptions.Default with { RequiredDestinations = upstreams.Where(u => !options.NoProxy.Matches(u.IdnHost, u.Port)).ToArray() },
            onReplaced: () => EgressLog.PacReplaced(selection?.Logger ?? NullLogger.Instance),
            onRefreshFailed: reason =>
            {
                metrics?.PacRefreshFailed();
                EgressLog.PacRefreshFailed(selection?.Logger ?? NullLogger.Instance, reason);
            },
            certificateValidation: (_, certificate, chain, errors) =>
                new UpstreamCertificateValidator(tls).Validate(certificate, chain, errors, atProxy: true),
            cancellationToken: cancellationToken);
        selection = new ProxySelection(new PacProxySelector(options.NoProxy, source.Resolver), source);
        return selection;
    }

    public async ValueTask DisposeAsync()
    {
        if (_pac is not null)
        {
            await _pac.DisposeAsync();
        }
    }
}
