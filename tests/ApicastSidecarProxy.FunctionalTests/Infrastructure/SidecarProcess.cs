using System.Text.RegularExpressions;
using ApicastSidecarProxy.FunctionalTests.Container;

namespace ApicastSidecarProxy.FunctionalTests.Infrastructure;

/// <summary>
/// The real sidecar, started from its build output as a user would start it: configured only through environment
/// variables, listening on free ports of 127.0.0.1 (it logs the ports it bound). Every output line is kept so tests can
/// assert on logs, secrets included. With a <see cref="SidecarContainer"/>, the same runs in the container image.
/// </summary>
public sealed partial class SidecarProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    // Variables from the machine that would change the sidecar's behaviour under test.
    private static readonly string[] InheritedVariablesToClear =
    [
        "https_proxy", "HTTPS_PROXY", "http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY", "no_proxy", "NO_PROXY",
        "PROXY_USERNAME", "PROXY_PASSWORD", "PROXY_PASSWORD_FILE", "THREESCALE_PORTAL_ENDPOINT", "BACKEND_ENDPOINT_OVERRIDE",
        "UPSTREAM_CA_FILE", "UPSTREAM_TLS_INSECURE_SKIP_VERIFY", "ASPNETCORE_URLS", "DOTNET_URLS",
        "PROXY_AUTH", "FORWARD_PROXY_PORT", "FORWARD_PROXY_ALLOW", "CONFIG_CACHE_DIR", "KRB5_CONFIG", "KRB5CCNAME", "KRB5_CLIENT_KTNAME", "KRB5_KTNAME", "NTLM_USER_FILE",
        "NOTIFY_SOCKET",
    ];

    private ChildProcess _process = null!;
    private SidecarContainer? _container;
    private readonly List<string> _lines = [];
    private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Dictionary<string, Uri> _routes = [];
    private int _disposed;
    private IReadOnlyList<string> _secrets = [];
    private string[] _expectedListeners = ["portal", "backend", "management"];

    public Uri PortalUri => Route("portal");

    public Uri BackendUri => Route("backend");

    public Uri ManagementUri => Route("management");

    public int Pid => _process.Pid;

    /// <summary>Everything the process wrote so far, stdout and stderr interleaved.</summary>
    public IReadOnlyList<string> OutputLines
    {
        get { lock (_lines) return _lines.ToArray(); }
    }

    public string Output => string.Join('\n', OutputLines);

    /// <summary>Starts the sidecar with <paramref name="environment"/> and waits until every listener is bound.</summary>
    public static Task<SidecarProcess> StartAsync(IReadOnlyDictionary<string, string> environment, params string[] flags) =>
        StartAsync(environment, null, flags);

    /// <summary>Starts the sidecar in <paramref name="container"/> (null: from the build output) and waits until every listener is bound.</summary>
    public static async Task<SidecarProcess> StartAsync(IReadOnlyDictionary<string, string> environment,
        SidecarContainer? container, params string[] flags)
    {
        var sidecar = Launch(WithTestDefaults(environment), flags, container);
        sidecar._secrets = ConfiguredSecrets.In(environment);
        var exited = sidecar._process.Exited;
        var ready = await Task.WhenAny(sidecar._listening.Task, exited, Task.Delay(StartTimeout));
        if (ready != sidecar._listening.Task)
        {
            await sidecar.DisposeAsync();
            throw new InvalidOperationException(
                $"the sidecar did not start listening (exited: {exited.IsCompleted}). Output:\n{sidecar.Output}");
        }

        return sidecar;
    }

    /// <summary>Runs the sidecar expecting it to stop by itself (a start-up failure); returns its exit code.</summary>
    public static Task<(int ExitCode, SidecarProcess Process)> RunUntilExitAsync(
        IReadOnlyDictionary<string, string> environment, params string[] flags) =>
        RunUntilExitAsync(environment, null, flags);

    /// <summary>Runs the sidecar in <paramref name="container"/> (null: from the build output) expecting it to stop by itself.</summary>
    public static async Task<(int ExitCode, SidecarProcess Process)> RunUntilExitAsync(
        IReadOnlyDictionary<string, string> environment, SidecarContainer? container, params string[] flags)
    {
        var sidecar = Launch(WithTestDefaults(environment), flags, container);
        sidecar._secrets = ConfiguredSecrets.In(environment);
        using var timeout = new CancellationTokenSource(StartTimeout);
        await sidecar._process.Exited.WaitAsync(timeout.Token);
        return (sidecar._process.ExitCode, sidecar);
    }

    /// <summary>Waits until a line matching <paramref name="predicate"/> has been written; returns it.</summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> predicate, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            var line = OutputLines.FirstOrDefault(predicate);
            if (line is not null) return line;
            if (DateTime.UtcNow >= deadline)
            {
                throw new TimeoutException($"no matching line from the sidecar. Output:\n{Output}");
            }

            await Task.Delay(20);
        }
    }

    /// <summary>Waits for the access-log line of an exchange that failed with <paramref name="code"/>.</summary>
    public Task<string> WaitForAccessLogAsync(string code) =>
        WaitForLineAsync(line => line.Contains(" access[", StringComparison.Ordinal) && line.Contains($" error={code}", StringComparison.Ordinal));

    public Uri Route(string name)
    {
        lock (_lines) return _routes[name];
    }

    /// <summary>Stops the sidecar with SIGTERM and returns its exit code; room for a DRAIN_DELAY of 10 s on a loaded machine.</summary>
    public Task<int> TerminateAsync() => _process.TerminateAsync(TimeSpan.FromSeconds(30));

    /// <summary>
    /// Kills the sidecar (by its PID) and waits for it to exit; safe to call more than once. Fails when its output ever
    /// showed a configured secret.
    /// </summary>
    /// <exception cref="InvalidOperationException">The output showed one of the secrets the sidecar was configured with.</exception>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        await _process.DisposeAsync();
        if (_container is not null) await _container.RemoveAsync();
        var leaked = _secrets.Where(secret => Output.Contains(secret, StringComparison.Ordinal)).ToList();
        if (leaked.Count > 0)
        {
            throw new InvalidOperationException($"the sidecar wrote {leaked.Count} configured secret(s) to stdout/stderr");
        }
    }

    private static Dictionary<string, string> WithTestDefaults(IReadOnlyDictionary<string, string> environment)
    {
        var merged = new Dictionary<string, string>
        {
            ["PORTAL_LISTEN_PORT"] = "0",
            ["BACKEND_LISTEN_PORT"] = "0",
            ["MANAGEMENT_PORT"] = "0",
            ["MANAGEMENT_ADDRESS"] = "127.0.0.1",
            ["READINESS_INTERVAL"] = "0", // no background traffic unless a test asks for it
            ["LISTEN_ADDRESS"] = "127.0.0.1",
        };
        foreach (var (name, value) in environment) merged[name] = value;
        return merged;
    }

    private static SidecarProcess Launch(IReadOnlyDictionary<string, string> environment, string[] flags,
        SidecarContainer? container)
    {
        var variables = new Dictionary<string, string?>();
        foreach (var name in InheritedVariablesToClear) variables[name] = null;
        foreach (var (name, value) in environment) variables[name] = value;

        var sidecar = new SidecarProcess { _container = container };
        if (environment.ContainsKey("FORWARD_PROXY_PORT")) sidecar._expectedListeners = [.. sidecar._expectedListeners, "forward"];
        sidecar._process = container is null
            ? ChildProcess.Start("dotnet", [SidecarBuild.AssemblyPath, .. flags],
                Path.GetDirectoryName(SidecarBuild.AssemblyPath)!, variables, sidecar.Keep)
            : ChildProcess.Start(SidecarContainer.Podman, container.RunArguments(environment.Keys, flags),
                Path.GetTempPath(), variables, sidecar.Keep);
        return sidecar;
    }

    private void Keep(string line)
    {
        lock (_lines)
        {
            _lines.Add(line);
            var match = ListeningLine().Match(line);
            if (!match.Success || !Uri.TryCreate(match.Groups["address"].Value, UriKind.Absolute, out var address)) return;
            _routes[match.Groups["route"].Value] = address;
            if (_expectedListeners.All(_routes.ContainsKey))
            {
                _listening.TrySetResult();
            }
        }
    }

    [GeneratedRegex(@"listening listener=(?<route>[a-z]+) address=(?<address>http://[^\s""]+)")]
    private static partial Regex ListeningLine();
}
