using System.Net;

namespace ApicastSidecarProxy.FunctionalTests.Infrastructure;

/// <summary>
/// A real forward proxy (tinyproxy, squid) run in the foreground from a private temp directory,
/// listening on 127.0.0.1 on a free port. Subclasses write the config and know their log format.
/// </summary>
public abstract class ForwardProxyProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);
    private ChildProcess? _process;

    protected ForwardProxyProcess(string workDirectory, int port, string logPath, string? user, string? password)
    {
        WorkDirectory = workDirectory;
        Port = port;
        LogPath = logPath;
        Credentials = user is null ? null : new NetworkCredential(user, password ?? "");
    }

    /// <summary>http://127.0.0.1:PORT, without user info.</summary>
    public Uri ProxyUri => new($"http://127.0.0.1:{Port}");

    /// <summary>
    /// http://USER:PASSWORD@127.0.0.1:PORT with user and password percent-encoded (as an https_proxy value),
    /// or <see cref="ProxyUri"/> when the proxy needs no credentials.
    /// </summary>
    public string ProxyUrlWithCredentials => Credentials is null
        ? ProxyUri.ToString()
        : $"http://{Uri.EscapeDataString(Credentials.UserName)}:{Uri.EscapeDataString(Credentials.Password)}@127.0.0.1:{Port}";

    public int Port { get; }

    /// <summary>The log file that records CONNECT requests.</summary>
    public string LogPath { get; }

    public string WorkDirectory { get; }

    /// <summary>The accepted credentials, or null when the proxy needs none.</summary>
    public NetworkCredential? Credentials { get; protected set; }

    /// <summary>PID of the running proxy, or null when stopped.</summary>
    public int? Pid => _process is { HasExited: false } ? _process.Pid : null;

    /// <summary>Number of CONNECT requests for <paramref name="hostPort"/> in the log, whatever their outcome.</summary>
    public int CountConnects(string hostPort) => ReadLogLines().Count(line => IsConnectLine(line, hostPort));

    /// <summary>Number of CONNECT requests for <paramref name="hostPort"/> that passed authentication.</summary>
    public int CountAuthorizedConnects(string hostPort) =>
        ReadLogLines().Count(line => IsAuthorizedConnectLine(line, hostPort));

    /// <summary>
    /// Polls the log until <paramref name="atLeast"/> CONNECTs (authorized ones only, if asked) for
    /// <paramref name="hostPort"/> appear; returns the last count seen, which is lower on timeout.
    /// </summary>
    public async Task<int> WaitForConnectsAsync(string hostPort, int atLeast, TimeSpan timeout, bool authorizedOnly = false)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var count = authorizedOnly ? CountAuthorizedConnects(hostPort) : CountConnects(hostPort);
            if (count >= atLeast || DateTime.UtcNow >= deadline) return count;
            await Task.Delay(PollInterval);
        }
    }

    /// <summary>The whole log (read while the proxy keeps writing it).</summary>
    public string ReadLog()
    {
        if (!File.Exists(LogPath)) return "";
        using var stream = new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>Kills the proxy (by its PID) and waits for it to exit. The port then refuses connections.</summary>
    public async Task StopAsync()
    {
        if (_process is null) return;
        await _process.DisposeAsync();
        _process = null;
        AfterStop();
    }

    /// <summary>Stops the proxy and starts it again on the same port with the same config.</summary>
    public async Task RestartAsync()
    {
        await StopAsync();
        await StartProcessAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        GC.SuppressFinalize(this);
        try { Directory.Delete(WorkDirectory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    protected abstract string ExecutablePath { get; }

    protected abstract IEnumerable<string> Arguments { get; }

    /// <summary>Variables set for the proxy process (null: a variable removed); null: the test's own environment.</summary>
    protected virtual IReadOnlyDictionary<string, string?>? ProcessEnvironment => null;

    protected abstract bool IsConnectLine(string line, string hostPort);

    protected abstract bool IsAuthorizedConnectLine(string line, string hostPort);

    /// <summary>Runs before every (re)start, e.g. to remove a stale PID file.</summary>
    protected virtual void BeforeStart() { }

    /// <summary>Runs after every stop (the process is killed, so it cleans up nothing itself).</summary>
    protected virtual void AfterStop() { }

    /// <summary>Starts the process and returns once its port accepts connections.</summary>
    protected async Task StartProcessAsync()
    {
        BeforeStart();
        var process = ChildProcess.Start(ExecutablePath, Arguments, WorkDirectory, ProcessEnvironment);
        _process = process;
        var ready = FreeTcpPort.WaitUntilAcceptingAsync(Port, StartTimeout);
        var first = await Task.WhenAny(ready, process.Exited);
        if (first == ready && ready.IsCompletedSuccessfully && !process.HasExited) return;

        var reason = process.HasExited ? $"exited with code {process.ExitCode}" : "did not accept connections in time";
        await StopAsync();
        throw new InvalidOperationException(
            $"{GetType().Name} on port {Port} {reason}.\nOutput:\n{process.RecentOutput}\nLog:\n{ReadLog()}");
    }

    private string[] ReadLogLines() => ReadLog().Split('\n', StringSplitOptions.RemoveEmptyEntries);
}
