using ApicastSidecarProxy.Configuration;

namespace ApicastSidecarProxy.Egress.Pac;

/// <summary>
/// The PAC script named by PROXY_PAC: loaded once at start-up (any failure stops the start), then re-read every
/// PROXY_PAC_REFRESH. A changed script that compiles replaces the resolver's; a refresh that fails keeps the last good
/// script and is reported, so a PAC server's outage never takes the proxy selection down with it.
/// </summary>
public sealed class PacScriptSource : IAsyncDisposable
{
    private readonly PacScriptFetcher _fetcher;
    private readonly PacScriptSourceOptions _options;
    private readonly Action _onReplaced;
    private readonly Action<string> _onRefreshFailed;
    private readonly CancellationTokenSource _stopping = new();
    private readonly PeriodicTimer? _timer;
    private readonly Task _refreshLoop;
    private string _text;

    private PacScriptSource(PacScriptFetcher fetcher, string text, IPacScript script, TimeSpan refreshInterval,
        PacScriptSourceOptions options, Action? onReplaced, Action<string>? onRefreshFailed)
    {
        _fetcher = fetcher;
        _text = text;
        _options = options;
        _onReplaced = onReplaced ?? (() => { });
        _onRefreshFailed = onRefreshFailed ?? (_ => { });
        Resolver = new PacProxyResolver(script);
        // Created before LoadAsync returns, so a test's fake clock can move past the first refresh at once.
        _timer = refreshInterval > TimeSpan.Zero && refreshInterval != Timeout.InfiniteTimeSpan
            ? new PeriodicTimer(refreshInterval, options.Time)
            : null;
        _refreshLoop = _timer is null ? Task.CompletedTask : RefreshLoopAsync(_timer, _stopping.Token);
    }

    public PacProxyResolver Resolver { get; }

    /// <summary>Where the script comes from, without URL userinfo or query: safe for logs.</summary>
    public string Location => _fetcher.DisplayLocation;

    /// <param name="location">A local path, a file:// URL, or an http(s):// URL (fetched directly, not through a proxy).</param>
    /// <param name="refreshInterval">How often to re-read the script; zero or infinite: never.</param>
    /// <param name="onReplaced">Called after a changed script replaced the previous one.</param>
    /// <param name="onRefreshFailed">Called with the reason when a refresh could not read or compile the script.</param>
    /// <exception cref="ConfigurationException">The script could not be read, parsed or run (PROXY_PAC).</exception>
    /// <param name="certificateValidation">How an https:// location's certificate is checked; null: the system's trust store.</param>
    public static async Task<PacScriptSource> LoadAsync(string location, TimeSpan refreshInterval, PacScriptSourceOptions options,
        Action? onReplaced = null, Action<string>? onRefreshFailed = null,
        System.Net.Security.RemoteCertificateValidationCallback? certificateValidation = null,
        CancellationToken cancellationToken = default)
    {
        PacScriptFetcher? fetcher = null;
        try
        {
            fetcher = PacScriptFetcher.Create(location, certificateValidation);
            var text = await fetcher.FetchAsync(cancellationToken);
            var script = CompileChecked(text, options);
            return new PacScriptSource(fetcher, text, script, refreshInterval, options, onReplaced, onRefreshFailed);
        }
        catch (PacScriptException e)
        {
            fetcher?.Dispose();
            throw new ConfigurationException(SettingNames.ProxyPac, e.Message);
        }
    }

    /// <summary>Compiles the script and runs it for each required destination.</summary>
    /// <exception cref="PacScriptException">It does not compile, or gives no proxy list for a required destination.</exception>
    private static IPacScript CompileChecked(string text, PacScriptSourceOptions options)
    {
        var script = options.Engine.Compile(text);
        foreach (var destination in options.RequiredDestinations)
        {
            if (PacProxyResolver.FailureFor(script, destination) is { } failure)
            {
                script.Dispose();
                throw new PacScriptException($"the script gives no proxy list for {destination.IdnHost}: {failure}", null);
            }
        }

        return script;
    }

    /// <summary>One refresh: re-read the script; replace it when it changed and compiles; report when it fails.</summary>
    internal async Task RefreshAsync(CancellationToken cancellationToken)
    {
        IPacScript script;
        string text;
        try
        {
            text = await _fetcher.FetchAsync(cancellationToken);
            if (text == _text)
            {
                return;
            }

            script = CompileChecked(text, _options);
        }
        catch (PacScriptException e)
        {
            _onRefreshFailed($"{e.Message}; the previous script stays in use");
            return;
        }

        _text = text;
        Resolver.Replace(script);
        _onReplaced();
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _refreshLoop;
        _timer?.Dispose();
        _stopping.Dispose();
        _fetcher.Dispose();
    }

    private async Task RefreshLoopAsync(PeriodicTimer timer, CancellationToken stopping)
    {
        try
        {
            while (await timer.WaitForNextTickAsync(stopping))
            {
                try
                {
                    await RefreshAsync(stopping);
                }
                catch (Exception e) when (e is not OperationCanceledException || !stopping.IsCancellationRequested)
                {
                    // A callback that threw, or a failure not foreseen: the loop goes on with the last good script.
                    try
                    {
                        _onRefreshFailed($"the PAC refresh failed unexpectedly ({e.GetType().Name})");
                    }
                    catch (Exception)
                    {
                        // Reporting failed too; there is nobody left to tell.
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }
}
