namespace ApicastSidecarProxy.FunctionalTests.Infrastructure;

/// <summary>
/// Dante (danted), a SOCKS server, on a free loopback port, accepting SOCKS4 CONNECT requests from loopback without
/// authentication (SOCKS4 has none). It logs each connection it passes, so a test can see its traffic went through.
/// </summary>
public sealed class DanteProcess : IAsyncDisposable
{
    private readonly string _directory;
    private readonly ChildProcess _process;

    private DanteProcess(string directory, int port, ChildProcess process)
    {
        _directory = directory;
        Port = port;
        _process = process;
    }

    public int Port { get; }

    private string LogFile => Path.Combine(_directory, "danted.log");

    public static async Task<DanteProcess> StartAsync()
    {
        var directory = Directory.CreateTempSubdirectory("dante-").FullName;
        var port = FreeTcpPort.Find();
        try
        {
            await File.WriteAllTextAsync(Path.Combine(directory, "danted.conf"), $$"""
                logoutput: {{Path.Combine(directory, "danted.log")}}
                internal: 127.0.0.1 port = {{port}}
                external: 127.0.0.1
                clientmethod: none
                socksmethod: none
                user.privileged: root
                user.unprivileged: nobody
                client pass {
                  from: 127.0.0.0/8 to: 0.0.0.0/0
                  log: error
                }
                socks pass {
                  from: 127.0.0.0/8 to: 0.0.0.0/0
                  command: connect
                  log: connect error
                }
                """);
            var executable = ExecutableLocator.Find("danted", "Install it: apt-get install dante-server.");
            var process = await LoopbackServer.StartAsync(executable,
                ["-f", Path.Combine(directory, "danted.conf"), "-N", "1", "-p", Path.Combine(directory, "danted.pid")],
                directory, port);
            return new DanteProcess(directory, port, process);
        }
        catch
        {
            Directory.Delete(directory, recursive: true);
            throw;
        }
    }

    /// <summary>The connections Dante passed so far, as it logged them ("pass(1): tcp/connect [: CLIENT PROXY -> ...").</summary>
    public IReadOnlyList<string> PassedConnections() =>
        File.Exists(LogFile) ? File.ReadAllLines(LogFile).Where(l => l.Contains("pass(1): tcp/connect")).ToList() : [];

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
    }
}
