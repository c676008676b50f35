using ApicastSidecarProxy.TestShared;
using ApicastSidecarProxy.FunctionalTests.EnterpriseProxies;
using ApicastSidecarProxy.FunctionalTests.Infrastructure;
using Xunit.Abstractions;

namespace ApicastSidecarProxy.FunctionalTests.Container;

/// <summary>
/// The container image users get (deploy/docker/Dockerfile, built by build/image.sh), run with podman as OpenShift runs
/// it: read-only root filesystem, arbitrary UID in group 0, settings from the environment, secrets and Kerberos files
/// mounted read-only at the paths docs/install.md gives.
/// </summary>
[Collection(ContainerCollection.Name)]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
[Trait("Category", "Container")]
public sealed class ContainerImageTests(ProxyChainFixture chain, KerberosProxyFixture kerberos, ITestOutputHelper output)
    : IClassFixture<KerberosProxyFixture>, IDisposable
{
    private const string PasswordPath = "/var/run/secrets/apicast-sidecar-proxy/password";
    private const string CaPath = "/etc/apicast-sidecar-proxy/ca/proxy-ca.pem";
    private const string Krb5ConfPath = "/etc/krb5/krb5.conf";
    private const string KeytabPath = "/etc/krb5/svc-apicast.keytab";
    private const string CacheDirectory = "/var/cache/apicast-sidecar-proxy";

    private readonly MountableFiles _files = new();

    [Fact]
    public async Task TinyproxyBasic_BothRoutesPass_AndSigtermStopsItWithExitCode0()
    {
        var tunnelsBefore = chain.Tinyproxy.CountAuthorizedConnects(chain.Upstream.HostPort);
        await using var sidecar = await SidecarProcess.StartAsync(TinyproxyEnvironment(), BasicContainer());

        await ReadmeCheck.AssertBothRoutesPassAsync(sidecar);
        var exitCode = await sidecar.TerminateAsync();

        output.WriteLine(sidecar.Output);
        Assert.Equal(0, exitCode);
        Assert.True(chain.Tinyproxy.CountAuthorizedConnects(chain.Upstream.HostPort) > tunnelsBefore, chain.Tinyproxy.ReadLog());
        Assert.DoesNotContain(ProxyChainFixture.TinyproxyPassword, sidecar.Output);
    }

    [Fact]
    public async Task SquidKerberos_BothRoutesPass_WithTheMountedKrb5ConfAndKeytab()
    {
        var ticketsBefore = kerberos.Realm.CountServiceTicketsIssued();
        var environment = chain.SidecarEnvironment(kerberos.Squid);
        environment["https_proxy"] = kerberos.ProxyUrl;
        environment["PROXY_AUTH"] = "negotiate";
        environment["UPSTREAM_CA_FILE"] = CaPath;
        environment["KRB5_CONFIG"] = Krb5ConfPath;
        environment["KRB5_CLIENT_KTNAME"] = KeytabPath;
        environment["KRB5CCNAME"] = "MEMORY:sidecar";
        var container = new SidecarContainer
        {
            Mounts = new Dictionary<string, string>
            {
                [_files.Copy(chain.Ca.CaPemPath)] = CaPath,
                [_files.Copy(kerberos.Realm.ConfigPath)] = Krb5ConfPath,
                [_files.Copy(kerberos.Realm.ClientKeytabPath)] = KeytabPath,
            },
        };
        await using var sidecar = await SidecarProcess.StartAsync(environment, container);

        await ReadmeCheck.AssertBothRoutesPassAsync(sidecar);
        await sidecar.DisposeAsync(); // squid logs a tunnel when it closes

        Assert.True(kerberos.Realm.CountServiceTicketsIssued() > ticketsBefore, "the KDC issued no ticket for HTTP/localhost");
        await kerberos.Squid.WaitForConnectsAsync(chain.Upstream.HostPort, 1, TimeSpan.FromSeconds(10), authorizedOnly: true);
        Assert.Contains($" {KerberosRealm.ClientPrincipal} ", kerberos.Squid.ReadLog());
    }

    [Fact]
    public async Task Check_PassesEveryHop_InsideTheImage()
    {
        var (exitCode, sidecar) = await SidecarProcess.RunUntilExitAsync(TinyproxyEnvironment(), BasicContainer(), "check");
        await using var _ = sidecar;

        output.WriteLine(sidecar.Output);
        Assert.Equal(0, exitCode);
        Assert.Matches(@"\u2714 proxy http://127\.0\.0\.1:\d+ accepted the Basic credentials and opened the tunnel to localhost", sidecar.Output);
        Assert.Contains("check passed", sidecar.Output);
    }

    [Fact]
    public async Task ProxyPac_RunsInTheImagesPacEngine_OnAReadOnlyRootAsAnArbitraryUser()
    {
        const string PacPath = "/etc/apicast-sidecar-proxy/proxy.pac";
        var environment = TinyproxyEnvironment();
        environment.Remove("https_proxy");
        environment["PROXY_PAC"] = PacPath;
        var container = BasicContainer() with
        {
            Mounts = new Dictionary<string, string>(BasicContainer().Mounts)
            {
                [_files.Write("proxy.pac", $$"""
                    function FindProxyForURL(url, host) {
                      if (isPlainHostName(host) && shExpMatch(host, "local*")) return "PROXY {{chain.Tinyproxy.ProxyUri.Authority}}";
                      return "PROXY 127.0.0.1:9";
                    }
                    """)] = PacPath,
            },
        };
        var tunnelsBefore = chain.Tinyproxy.CountAuthorizedConnects(chain.Upstream.HostPort);
        await using var sidecar = await SidecarProcess.StartAsync(environment, container);

        await ReadmeCheck.AssertBothRoutesPassAsync(sidecar);

        await sidecar.WaitForLineAsync(line => line.Contains($"proxy=http://{chain.Tinyproxy.ProxyUri.Authority}", StringComparison.Ordinal));
        Assert.True(chain.Tinyproxy.CountAuthorizedConnects(chain.Upstream.HostPort) > tunnelsBefore, chain.Tinyproxy.ReadLog());
    }

    [Fact]
    public async Task TheImagesUser_DropsTheBinarysStartUpPages()
    {
        // The kernel pages out a file's pages only for its owner or a process that may write it: the image's binaries
        // belong to its user (read-only root filesystem, mode 0555).
        var container = BasicContainer() with { User = null };
        await using var sidecar = await SidecarProcess.StartAsync(TinyproxyEnvironment(), container);
        var pid = int.Parse((await CommandLineTool.RunAsync(SidecarContainer.Podman,
            ["inspect", "--format", "{{.State.Pid}}", container.Name])).Trim(), System.Globalization.CultureInfo.InvariantCulture);

        var resident = long.MaxValue;
        for (var deadline = DateTime.UtcNow.AddSeconds(20); resident >= 8192 && DateTime.UtcNow < deadline;)
        {
            // Read from the host's /proc: the tests run as root, podman rootful.
            resident = ResidentMemory.OfFileKib($"/proc/{pid}/smaps", "/app/apicast-sidecar-proxy");
            if (resident >= 8192)
            {
                await Task.Delay(200); // the page-out follows start-up: polled, bounded
            }
        }

        Assert.True(resident < 8192, $"the binary's resident pages: {resident} KiB (about 12,500 when nothing is dropped)");
    }

    [Fact]
    public async Task SystemTrustStore_IsTheImagesCaBundle()
    {
        // The image's bundle replaced by the test CA, and no UPSTREAM_CA_FILE: TLS verifies only if .NET (through
        // OpenSSL's default paths) reads /etc/ssl/certs/ca-certificates.crt, where the public CAs are in production.
        var environment = TinyproxyEnvironment();
        environment.Remove("UPSTREAM_CA_FILE");
        var container = BasicContainer() with
        {
            Mounts = new Dictionary<string, string>
            {
                [_files.Write("password", ProxyChainFixture.TinyproxyPassword + "\n")] = PasswordPath,
                [_files.Copy(chain.Ca.CaPemPath)] = "/etc/ssl/certs/ca-certificates.crt",
            },
        };
        await using var sidecar = await SidecarProcess.StartAsync(environment, container);

        await ReadmeCheck.AssertBothRoutesPassAsync(sidecar);
    }

    [Fact]
    public async Task ConfigCacheDir_OnAWritableVolume_IsTheArbitraryUsersPrivateDirectory()
    {
        // The manifests' emptyDir at /var/cache/apicast-sidecar-proxy: world-writable, as Kubernetes creates it.
        var volume = Directory.CreateTempSubdirectory("container-cache-").FullName;
        try
        {
            File.SetUnixFileMode(volume, (UnixFileMode)0b111_111_111);
            var environment = TinyproxyEnvironment();
            environment["CONFIG_CACHE_DIR"] = CacheDirectory;
            var container = BasicContainer() with { WritableMounts = new Dictionary<string, string> { [volume] = CacheDirectory } };
            await using var sidecar = await SidecarProcess.StartAsync(environment, container);

            await ReadmeCheck.AssertBothRoutesPassAsync(sidecar);

            var store = new DirectoryInfo(Path.Combine(volume, "v1"));
            Assert.True(store.Exists, sidecar.Output);
            Assert.Equal((UnixFileMode)0b111_000_000, store.UnixFileMode);
        }
        finally
        {
            Directory.Delete(volume, recursive: true);
        }
    }

    [Theory]
    [InlineData(null)]
    [InlineData(SidecarContainer.ArbitraryUser)]
    public async Task ConfigCacheDir_OnANewNamedVolume_IsWritable_ByTheImagesUserOrAnyUidInGroup0(string? user)
    {
        // docker/podman run -v NAME:/var/cache/apicast-sidecar-proxy: a new volume takes the image directory's owner
        // (1654:0) and mode (0770).
        var volume = $"sidecar-test-cache-{Guid.NewGuid():N}";
        try
        {
            var environment = TinyproxyEnvironment();
            environment["CONFIG_CACHE_DIR"] = CacheDirectory;
            var container = BasicContainer() with
            {
                User = user,
                WritableMounts = new Dictionary<string, string> { [volume] = CacheDirectory },
            };
            await using var sidecar = await SidecarProcess.StartAsync(environment, container);

            await ReadmeCheck.AssertBothRoutesPassAsync(sidecar);
        }
        finally
        {
            await CommandLineTool.RunAsync(SidecarContainer.Podman, ["volume", "rm", "--force", volume]);
        }
    }

    [Fact]
    public async Task ConfigCacheDir_WithoutAVolume_StopsStartUp_NamingTheSetting()
    {
        // The root filesystem is read-only: the manifests must mount a volume where CONFIG_CACHE_DIR points.
        var environment = TinyproxyEnvironment();
        environment["CONFIG_CACHE_DIR"] = CacheDirectory;

        var (exitCode, sidecar) = await SidecarProcess.RunUntilExitAsync(environment, BasicContainer());
        await using var _ = sidecar;

        Assert.Equal(1, exitCode);
        Assert.Contains("CONFIG_CACHE_DIR", sidecar.Output);
    }

    public void Dispose() => _files.Dispose();

    /// <summary>Through tinyproxy with Basic auth: the user from the environment, the password from a mounted file.</summary>
    private Dictionary<string, string> TinyproxyEnvironment()
    {
        var environment = chain.SidecarEnvironment(chain.Tinyproxy);
        environment["https_proxy"] = chain.Tinyproxy.ProxyUri.ToString();
        environment["PROXY_USERNAME"] = ProxyChainFixture.TinyproxyUser;
        environment["PROXY_PASSWORD_FILE"] = PasswordPath;
        environment["UPSTREAM_CA_FILE"] = CaPath;
        return environment;
    }

    private SidecarContainer BasicContainer() => new()
    {
        Mounts = new Dictionary<string, string>
        {
            [_files.Write("password", ProxyChainFixture.TinyproxyPassword + "\n")] = PasswordPath,
            [_files.Copy(chain.Ca.CaPemPath)] = CaPath,
        },
    };

    /// <summary>
    /// Copies of files for bind mounts, readable by the container's arbitrary UID (0644; test keys only), as a Secret
    /// volume's files are.
    /// </summary>
    private sealed class MountableFiles : IDisposable
    {
        private readonly string _directory = Directory.CreateTempSubdirectory("container-mounts-").FullName;

        public string Copy(string source) => Write(Path.GetFileName(source), File.ReadAllBytes(source));

        public string Write(string name, string content) => Write(name, System.Text.Encoding.UTF8.GetBytes(content));

        public void Dispose() => Directory.Delete(_directory, recursive: true);

        private string Write(string name, byte[] content)
        {
            var path = Path.Combine(_directory, $"{Guid.NewGuid():N}-{name}");
            File.WriteAllBytes(path, content);
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, (UnixFileMode)0b110_100_100);
            return path;
        }
    }
}

/// <summary>The container tests: their own upstream and proxies, beside the other collections.</summary>
[CollectionDefinition(Name)]
public sealed class ContainerCollection : ICollectionFixture<ProxyChainFixture>
{
    public const string Name = "container image";
}
