namespace ApicastSidecarProxy.FunctionalTests.Infrastructure;

/// <summary>
/// microsocks, a SOCKS5 server, on a free loopback port requiring user name and password (RFC 1929). It logs nothing;
/// a refused password shows as the client's SOCKS authentication error.
/// </summary>
public sealed class MicrosocksProcess : IAsyncDisposable
{
    private readonly string _directory;
    private readonly ChildProcess _process;

    private MicrosocksProcess(string directory, int port, ChildProcess process)
    {
        _directory = directory;
        Port = port;
        _process = process;
    }

    public int Port { get; }

    /// <summary>Starts microsocks accepting only <paramref name="user"/> with <paramref name="password"/>.</summary>
    public static async Task<MicrosocksProcess> StartAsync(string user, string password)
    {
        var directory = Directory.CreateTempSubdirectory("microsocks-").FullName;
        var port = FreeTcpPort.Find();
        try
        {
            // The password is a test secret: on the command line, as microsocks wants it.
            var executable = ExecutableLocator.Find("microsocks", "Install it: apt-get install microsocks.");
            var process = await LoopbackServer.StartAsync(executable,
                ["-i", "127.0.0.1", "-p", port.ToString(), "-u", user, "-P", password], directory, port);
            return new MicrosocksProcess(directory, port, process);
        }
        catch
        {
            Directory.Delete(directory, recursive: true);
            throw;
        }
    }

    /// <summary>socks5://USER:PASSWORD@127.0.0.1:PORT, percent-encoded, as an https_proxy value.</summary>
    public string ProxyUrl(string user, string password) =>
        $"socks5://{Uri.EscapeDataString(user)}:{Uri.EscapeDataString(password)}@127.0.0.1:{Port}";

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
    }
}
