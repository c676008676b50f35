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
    private readonly PacEngineClient? _engine;

    private ProxySelection(IProxySelector selector, PacScriptSource? pac, PacEngineClient? engine)
    {
        Selector = selector;
        _pac = pac;
        _engine = engine;
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
            return new ProxySelection(new EnvironmentProxySelector(options), null, null);
        }

        ProxySelection? selection = null;
        var engine = new PacEngineClient(PacEngineProcess.Start);
        PacScriptSource source;
        try
        {
            source = await LoadAsync(pac, engine, upstreams.Where(u => !options.NoProxy.Matches(u.IdnHost, u.Port)).ToArray(),
                () => selection?.Logger ?? NullLogger.Instance, metrics, tls, cancellationToken);
        }
        catch
        {
            engine.Dispose();
            throw;
        }

        selection = new ProxySelection(new PacProxySelector(options.NoProxy, source.Resolver), source, engine);
        return selection;
    }

    private static Task<PacScriptSource> LoadAsync(PacOptions pac, IPacEngine engine, IReadOnlyList<Uri> required,
        Func<ILogger> logger, SidecarMetrics? metrics, TlsOptions tls, CancellationToken cancellationToken) =>
        PacScriptSource.LoadAsync(pac.Location, pac.Refresh,
            new PacScriptSourceOptions { Engine = engine, RequiredDestinations = required },
            onReplaced: () => EgressLog.PacReplaced(logger()),
            onRefreshFailed: reason =>
            {
                metrics?.PacRefreshFailed();
                EgressLog.PacRefreshFailed(logger(), reason);
            },
            certificateValidation: (_, certificate, chain, errors) =>
                new UpstreamCertificateValidator(tls).Validate(certificate, chain, errors, atProxy: true),
            cancellationToken: cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (_pac is not null)
        {
            await _pac.DisposeAsync();
        }

        _engine?.Dispose();
    }
}
