using System.Diagnostics;
using System.Net;

namespace ApicastSidecarProxy.FunctionalTests.Infrastructure;

/// <summary>
/// squid 5 in the foreground (<c>squid -N -d 1 -f conf</c>) with Basic auth through basic_ncsa_auth
/// (passwords may contain any printable character but ':'), or with the schemes of <see cref="SquidAuthScheme"/>, offered
/// in the order given. A wrong or missing password gets 407.
/// access.log gets a line when a transaction ends, so a CONNECT shows up only once its tunnel is closed:
/// <c>1795976189.284     18 127.0.0.1 TCP_TUNNEL/200 691 CONNECT localhost:38124 alice HIER_DIRECT/127.0.0.1 -</c>.
/// </summary>
public sealed class SquidProcess : ForwardProxyProcess
{
    private const string ProxyUser = "proxy";

    private readonly IReadOnlyList<SquidAuthScheme> _offered;
    private readonly KerberosRealm? _realm;

    private SquidProcess(string workDirectory, int port, string? user, string? password,
        IReadOnlyList<SquidAuthScheme> offered, KerberosRealm? realm)
        : base(workDirectory, port, Path.Combine(workDirectory, "access.log"), user, password)
    {
        _offered = offered;
        _realm = realm;
    }

    public string ConfigPath => Path.Combine(WorkDirectory, "squid.conf");

    /// <summary>squid's own diagnostics (also echoed to the process's stderr at debug level 1).</summary>
    public string CacheLogPath => Path.Combine(WorkDirectory, "cache.log");

    protected override string ExecutablePath => ExecutableLocator.Find("squid", "Install it: apt-get install squid.");

    // A service name of its own: squid names its shared-memory segments after it (/dev/shm/squid-cf__*.shm), so two
    // squids starting at once with the default name collide ("shm_open ... File exists") and one of them exits.
    protected override IEnumerable<string> Arguments => ["-N", "-d", "1", "-n", $"squid{Port}", "-f", ConfigPath];

    private string PasswordFile => Path.Combine(WorkDirectory, "passwd");

    private string DigestPasswordFile => Path.Combine(WorkDirectory, "digest-passwd");

    private string ServiceKeytabPath => Path.Combine(WorkDirectory, "http.keytab");

    /// <summary>The helpers inherit squid's environment: the Kerberos one must find the realm's krb5.conf.</summary>
    protected override IReadOnlyDictionary<string, string?>? ProcessEnvironment =>
        _realm?.ConfigEnvironment().ToDictionary(pair => pair.Key, pair => (string?)pair.Value);

    private string PidPath => Path.Combine(WorkDirectory, "squid.pid");

    /// <summary>Starts squid; with <paramref name="user"/> it requires Basic auth, without it lets any loopback client in.</summary>
    public static Task<SquidProcess> StartAsync(string? user, string? password) =>
        user is null ? StartAsync(null, null, [], null) : StartAsync(user, password, [SquidAuthScheme.Basic], null);

    /// <summary>Starts squid requiring <paramref name="user"/>, offering <paramref name="offered"/> (Basic, Digest) in that order.</summary>
    public static Task<SquidProcess> StartAsync(string user, string password, params SquidAuthScheme[] offered)
    {
        if (offered.Length == 0 || offered.Contains(SquidAuthScheme.Negotiate)) throw new ArgumentException("Basic and/or Digest.", nameof(offered));
        return StartAsync(user, password, offered, null);
    }

    /// <summary>Starts squid requiring Kerberos (Negotiate) for <see cref="KerberosRealm.ServicePrincipal"/> of <paramref name="realm"/>.</summary>
    public static Task<SquidProcess> StartWithKerberosAsync(KerberosRealm realm) =>
        StartAsync(null, null, [SquidAuthScheme.Negotiate], realm);

    /// <summary>
    /// Replaces the password in the helpers' files (basic_ncsa_auth and digest_file_auth re-read a changed file). squid
    /// may keep accepting the old password for credentials it has cached; <see cref="ForwardProxyProcess.RestartAsync"/> forgets them.
    /// </summary>
    public async Task ChangePasswordAsync(string newPassword)
    {
        var user = Credentials?.UserName ?? throw new InvalidOperationException("This squid has no user.");
        await WritePasswordFilesAsync(user, newPassword);
        Credentials = new NetworkCredential(user, newPassword);
    }

    private static async Task<SquidProcess> StartAsync(string? user, string? password,
        IReadOnlyList<SquidAuthScheme> offered, KerberosRealm? realm)
    {
        if (user is not null && user.Contains(':')) throw new ArgumentException("A Basic auth user name cannot contain ':'.", nameof(user));
        var directory = Directory.CreateTempSubdirectory("squid-").FullName;
        var proxy = new SquidProcess(directory, FreeTcpPort.Find(), user, password, offered, realm);
        try
        {
            // As root, squid drops to the 'proxy' user, which must write its logs here and read the passwd file.
            Chmod(directory, (UnixFileMode)0b111_111_111); // 0777
            if (user is not null) await proxy.WritePasswordFilesAsync(user, password ?? "");
            if (realm is not null)
            {
                File.Copy(realm.ServiceKeytabPath, proxy.ServiceKeytabPath);
                Chmod(proxy.ServiceKeytabPath, (UnixFileMode)0b110_100_100); // 0644: test keys only
            }

            File.WriteAllText(proxy.ConfigPath, proxy.BuildConfig());
            await proxy.StartProcessAsync();
        }
        catch
        {
            await proxy.DisposeAsync();
            throw;
        }
        return proxy;
    }

    protected override bool IsConnectLine(string line, string hostPort)
    {
        var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return fields.Length > 6 && fields[5] == "CONNECT" && fields[6] == hostPort;
    }

    protected override bool IsAuthorizedConnectLine(string line, string hostPort) =>
        IsConnectLine(line, hostPort) && !line.Contains(" TCP_DENIED/", StringComparison.Ordinal);

    /// <summary>A SIGKILLed squid leaves its PID file behind; squid would then refuse to start.</summary>
    protected override void BeforeStart()
    {
        File.Delete(PidPath);
        DeleteSharedMemorySegments();
    }

    protected override void AfterStop() => DeleteSharedMemorySegments();

    // squid{Port}-cf__*.shm, named after the service name in Arguments; a killed squid leaves them behind, and a new
    // squid with the same name would find them and exit.
    private void DeleteSharedMemorySegments()
    {
        foreach (var segment in Directory.EnumerateFiles("/dev/shm", $"squid{Port}-*"))
        {
            File.Delete(segment);
        }
    }

    private string BuildConfig() => $"""
        http_port 127.0.0.1:{Port}
        visible_hostname squid-test
        {(Environment.IsPrivilegedProcess ? $"cache_effective_user {ProxyUser}" : "")}
        pid_filename {PidPath}
        cache_log {CacheLogPath}
        access_log stdio:{LogPath}
        buffered_logs off
        logfile_rotate 0
        netdb_filename none
        pinger_enable off
        coredump_dir {WorkDirectory}
        cache deny all
        cache_mem 8 MB
        shutdown_lifetime 0 seconds
        {(_offered.Count == 0 ? "http_access allow all" : AuthConfig)}
        http_access deny all

        """;

    // squid lists the schemes in Proxy-Authenticate in the order of their auth_param lines.
    private string AuthConfig => string.Join('\n', _offered.Select(SchemeConfig)) + """

        acl authed proxy_auth REQUIRED
        http_access allow authed
        """;

    private string SchemeConfig(SquidAuthScheme scheme) => scheme switch
    {
        SquidAuthScheme.Basic => $"""
            auth_param basic program /usr/lib/squid/basic_ncsa_auth {PasswordFile}
            auth_param basic children 5 startup=1
            auth_param basic realm squid-test
            """,
        SquidAuthScheme.Digest => $"""
            auth_param digest program /usr/lib/squid/digest_file_auth {DigestPasswordFile}
            auth_param digest children 5 startup=1
            auth_param digest realm squid-test
            """,
        // -s: accept tickets for this SPN only; -t none: no replay cache file (the helper runs as 'proxy').
        SquidAuthScheme.Negotiate => $"""
            auth_param negotiate program /usr/lib/squid/negotiate_kerberos_auth -k {ServiceKeytabPath} -s {KerberosRealm.ServicePrincipal} -t none
            auth_param negotiate children 5 startup=1
            auth_param negotiate keep_alive on
            """,
        _ => throw new ArgumentOutOfRangeException(nameof(scheme)),
    };

    private async Task WritePasswordFilesAsync(string user, string password)
    {
        if (_offered.Contains(SquidAuthScheme.Basic)) await WritePasswordFileAsync(PasswordFile, user, password);
        if (_offered.Contains(SquidAuthScheme.Digest))
        {
            // digest_file_auth: one "user:password" line per user, plain text.
            await File.WriteAllTextAsync(DigestPasswordFile, $"{user}:{password}\n");
            Chmod(DigestPasswordFile, (UnixFileMode)0b110_100_100); // 0644
        }
    }

    /// <summary>An APR1-MD5 htpasswd file (basic_ncsa_auth does not read bcrypt); the password goes through stdin.</summary>
    private static async Task WritePasswordFileAsync(string path, string user, string password)
    {
        var htpasswd = ExecutableLocator.Find("htpasswd", "Install it: apt-get install apache2-utils.");
        var startInfo = new ProcessStartInfo(htpasswd)
        {
            ArgumentList = { "-i", "-c", "-m", path, user },
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(startInfo)!;
        await process.StandardInput.WriteAsync(password);
        process.StandardInput.Close();
        var error = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"htpasswd failed ({process.ExitCode}): {await error}");
        Chmod(path, (UnixFileMode)0b110_100_100); // 0644
    }

    private static void Chmod(string path, UnixFileMode mode)
    {
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, mode);
    }
}
