using System.Text.RegularExpressions;

namespace ApicastSidecarProxy.FunctionalTests.Infrastructure;

/// <summary>
/// tinyproxy 1.11 in the foreground (<c>tinyproxy -d -c conf</c>), optionally with Basic auth.
/// A wrong password on CONNECT is answered 401 (not 407); missing credentials get 407.
/// Log line of a CONNECT: <c>CONNECT   Nov 29 18:16:02.786 [3253]: Request (file descriptor 5): CONNECT localhost:38124 HTTP/1.1</c>.
/// </summary>
public sealed partial class TinyproxyProcess : ForwardProxyProcess
{
    private TinyproxyProcess(string workDirectory, int port, string? user, string? password)
        : base(workDirectory, port, Path.Combine(workDirectory, "tinyproxy.log"), user, password)
    {
    }

    public string ConfigPath => Path.Combine(WorkDirectory, "tinyproxy.conf");

    protected override string ExecutablePath => ExecutableLocator.Find("tinyproxy", "Install it: apt-get install tinyproxy.");

    protected override IEnumerable<string> Arguments => ["-d", "-c", ConfigPath];

    /// <summary>
    /// Starts tinyproxy; with <paramref name="user"/> it requires Basic auth. tinyproxy's config grammar only accepts
    /// letters, digits and <c>-._</c> in BasicAuth user and password (use <see cref="SquidProcess"/> for others).
    /// </summary>
    public static async Task<TinyproxyProcess> StartAsync(string? user = null, string? password = null)
    {
        if (user is not null) ValidateCredential(user, password ?? "");
        var directory = Directory.CreateTempSubdirectory("tinyproxy-").FullName;
        var proxy = new TinyproxyProcess(directory, FreeTcpPort.Find(), user, password);
        File.WriteAllText(proxy.ConfigPath, proxy.BuildConfig());
        try
        {
            await proxy.StartProcessAsync();
        }
        catch
        {
            await proxy.DisposeAsync();
            throw;
        }
        return proxy;
    }

    protected override bool IsConnectLine(string line, string hostPort) =>
        line.Contains("]: Request (file descriptor ", StringComparison.Ordinal)
        && line.Contains($": CONNECT {hostPort} ", StringComparison.Ordinal);

    /// <summary>tinyproxy opens the upstream connection only after authentication passed.</summary>
    protected override bool IsAuthorizedConnectLine(string line, string hostPort) =>
        line.EndsWith($"opensock: opening connection to {hostPort}", StringComparison.Ordinal);

    // No User/Group lines: run as root, tinyproxy only warns and keeps the log file writable.
    // No ConnectPort lines: CONNECT to any port is allowed. LogLevel Info logs CONNECT requests and opensock lines.
    private string BuildConfig() => $"""
        Port {Port}
        Listen 127.0.0.1
        Allow 127.0.0.1
        LogLevel Info
        LogFile "{LogPath}"
        MaxClients 100
        Timeout 600
        DisableViaHeader Yes
        {(Credentials is null ? "" : $"BasicAuth {Credentials.UserName} {Credentials.Password}")}

        """;

    private static void ValidateCredential(string user, string password)
    {
        if (!Token().IsMatch(user) || !Token().IsMatch(password))
            throw new ArgumentException("tinyproxy BasicAuth accepts only letters, digits and -._ in user and password.");
    }

    [GeneratedRegex("^[A-Za-z0-9._-]+$")]
    private static partial Regex Token();
}
