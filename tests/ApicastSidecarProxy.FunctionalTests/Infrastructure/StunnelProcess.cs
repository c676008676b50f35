using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ApicastSidecarProxy.FunctionalTests.Infrastructure;

/// <summary>
/// stunnel 5 in the foreground as a TLS server on a free loopback port, forwarding the decrypted bytes to a plain proxy:
/// together they are an <c>https://</c> proxy (TLS to the proxy, CONNECT inside). Its certificate is the test CA's one for
/// localhost, so clients must use the host name <c>localhost</c> and trust the test CA.
/// </summary>
public sealed class StunnelProcess : IAsyncDisposable
{
    private readonly string _directory;
    private readonly ChildProcess _process;

    private StunnelProcess(string directory, int port, ChildProcess process)
    {
        _directory = directory;
        Port = port;
        _process = process;
    }

    public int Port { get; }

    /// <summary>What stunnel wrote so far (it logs each accepted TLS connection at level notice).</summary>
    public string Output => _process.RecentOutput;

    /// <summary>Starts stunnel in front of 127.0.0.1:<paramref name="backendPort"/> with <paramref name="certificate"/> and its key.</summary>
    public static async Task<StunnelProcess> StartAsync(int backendPort, X509Certificate2 certificate)
    {
        var directory = Directory.CreateTempSubdirectory("stunnel-").FullName;
        var port = FreeTcpPort.Find();
        var certificatePath = Path.Combine(directory, "server.pem");
        var keyPath = Path.Combine(directory, "server.key");
        var configPath = Path.Combine(directory, "stunnel.conf");
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem() + "\n");
        File.WriteAllText(keyPath, PrivateKeyPem(certificate) + "\n");
        File.WriteAllText(configPath, $"""
            foreground = yes
            pid =
            debug = notice
            [proxy]
            accept = 127.0.0.1:{port}
            connect = 127.0.0.1:{backendPort}
            cert = {certificatePath}
            key = {keyPath}

            """);
        try
        {
            var executable = ExecutableLocator.Find("stunnel4", "Install it: apt-get install stunnel4.");
            return new StunnelProcess(directory, port, await LoopbackServer.StartAsync(executable, [configPath], directory, port));
        }
        catch
        {
            Directory.Delete(directory, recursive: true);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
    }

    private static string PrivateKeyPem(X509Certificate2 certificate) =>
        ((AsymmetricAlgorithm?)certificate.GetECDsaPrivateKey() ?? certificate.GetRSAPrivateKey())?.ExportPkcs8PrivateKeyPem()
        ?? throw new ArgumentException("The certificate has no ECDSA or RSA private key.", nameof(certificate));
}
