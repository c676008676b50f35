namespace ApicastSidecarProxy.FunctionalTests.Infrastructure;

/// <summary>
/// A throw-away MIT Kerberos realm on loopback: a database in a temp directory, an MIT KDC (<c>krb5kdc -n</c>) on a free
/// port (TCP and UDP), and a krb5.conf that every process of the test points at with <c>KRB5_CONFIG</c>. It holds the
/// proxy's service principal <c>HTTP/localhost</c> and a client principal for the sidecar, each exported to a keytab.
/// Nothing on the machine (/etc/krb5.conf, the default ticket cache) is read or written.
/// </summary>
public sealed class KerberosRealm : IAsyncDisposable
{
    public const string Name = "SIDECAR.TEST";

    /// <summary>The proxy's host name as the sidecar writes it: the SPN is HTTP/this.</summary>
    public const string ServiceHost = "localhost";

    public const string ClientName = "sidecar";

    /// <summary>A principal with a password rather than a keytab (PROXY_USERNAME=user@REALM, PROXY_PASSWORD).</summary>
    public const string PasswordUserName = "alice";

    public const string PasswordUserPassword = "alice-Kerberos-pw1";

    private ChildProcess? _kdc;

    private KerberosRealm(string directory, int kdcPort)
    {
        Directory = directory;
        KdcPort = kdcPort;
    }

    public string Directory { get; }

    public int KdcPort { get; }

    /// <summary>krb5.conf for clients and acceptors: this realm, its KDC, no DNS, TCP only.</summary>
    public string ConfigPath => Path.Combine(Directory, "krb5.conf");

    public static string ServicePrincipal => $"HTTP/{ServiceHost}@{Name}";

    public static string ClientPrincipal => $"{ClientName}@{Name}";

    /// <summary>The keys of <see cref="ServicePrincipal"/>, for the proxy's acceptor.</summary>
    public string ServiceKeytabPath => Path.Combine(Directory, "http.keytab");

    /// <summary>The current keys of <see cref="ClientPrincipal"/>.</summary>
    public string ClientKeytabPath => Path.Combine(Directory, "client.keytab");

    /// <summary>Keys of <see cref="ClientPrincipal"/> exported before it was re-keyed: the KDC no longer accepts them.</summary>
    public string StaleClientKeytabPath => Path.Combine(Directory, "stale-client.keytab");

    private string KdcConfigPath => Path.Combine(Directory, "kdc.conf");

    private string KdcLogPath => Path.Combine(Directory, "kdc.log");

    /// <summary>Environment of every Kerberos tool and of the KDC.</summary>
    private Dictionary<string, string> AdminEnvironment => new()
    {
        ["KRB5_CONFIG"] = ConfigPath,
        ["KRB5_KDC_PROFILE"] = KdcConfigPath,
    };

    /// <summary>Creates the realm (database, principals, keytabs) and starts its KDC; about a tenth of a second.</summary>
    public static async Task<KerberosRealm> StartAsync()
    {
        var realm = new KerberosRealm(System.IO.Directory.CreateTempSubdirectory("krb5-realm-").FullName, FreeTcpPort.Find());
        try
        {
            // squid runs its helper as the 'proxy' user, which must read krb5.conf (squid copies the keytab to its own directory).
            Chmod(realm.Directory, (UnixFileMode)0b111_101_101); // 0755
            await File.WriteAllTextAsync(realm.ConfigPath, realm.ClientConfig());
            await File.WriteAllTextAsync(realm.KdcConfigPath, realm.KdcConfig());
            await realm.CreateDatabaseAsync();
            await realm.StartKdcAsync();
        }
        catch
        {
            await realm.DisposeAsync();
            throw;
        }

        return realm;
    }

    /// <summary>
    /// Settings for a process that authenticates as <see cref="ClientPrincipal"/> from <paramref name="clientKeytab"/>
    /// (GSSAPI gets the initial ticket from the client keytab by itself), with a private in-memory ticket cache.
    /// </summary>
    public Dictionary<string, string> ClientEnvironment(string clientKeytab) => new()
    {
        ["KRB5_CONFIG"] = ConfigPath,
        ["KRB5_CLIENT_KTNAME"] = clientKeytab,
        ["KRB5CCNAME"] = "MEMORY:sidecar",
    };

    /// <summary>Settings for a process that only needs to know the realm (an acceptor, or a client with a password).</summary>
    public Dictionary<string, string> ConfigEnvironment() => new()
    {
        ["KRB5_CONFIG"] = ConfigPath,
        ["KRB5CCNAME"] = "MEMORY:sidecar",
    };

    /// <summary>Service tickets the KDC issued for the proxy's principal (from its log).</summary>
    public int CountServiceTicketsIssued()
    {
        if (!File.Exists(KdcLogPath)) return 0;
        using var stream = new FileStream(KdcLogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd().Split('\n').Count(line =>
            line.Contains("TGS_REQ", StringComparison.Ordinal) && line.Contains(": ISSUE: ", StringComparison.Ordinal)
            && line.Contains($" for {ServicePrincipal}", StringComparison.Ordinal));
    }

    public async ValueTask DisposeAsync()
    {
        if (_kdc is not null) await _kdc.DisposeAsync();
        try { System.IO.Directory.Delete(Directory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private async Task CreateDatabaseAsync()
    {
        await CommandLineTool.RunAsync(ExecutableLocator.Find("kdb5_util", InstallHint),
            ["create", "-s", "-r", Name, "-P", "throw-away-master-key"], AdminEnvironment);
        // ktadd re-keys the principal: the first export becomes stale when the second is made.
        string[] commands =
        [
            $"addprinc -randkey {ServicePrincipal}",
            $"ktadd -k {ServiceKeytabPath} {ServicePrincipal}",
            $"addprinc -randkey {ClientPrincipal}",
            $"ktadd -k {StaleClientKeytabPath} {ClientPrincipal}",
            $"ktadd -k {ClientKeytabPath} {ClientPrincipal}",
            $"addprinc -pw {PasswordUserPassword} {PasswordUserName}@{Name}",
        ];
        await CommandLineTool.RunAsync(ExecutableLocator.Find("kadmin.local", InstallHint), ["-r", Name], AdminEnvironment,
            string.Join('\n', commands) + "\n");
    }

    private async Task StartKdcAsync()
    {
        var environment = AdminEnvironment.ToDictionary(pair => pair.Key, pair => (string?)pair.Value);
        _kdc = await LoopbackServer.StartAsync(ExecutableLocator.Find("krb5kdc", InstallHint),
            ["-n", "-r", Name, "-P", Path.Combine(Directory, "kdc.pid")], Directory, KdcPort, environment);
    }

    private static void Chmod(string path, UnixFileMode mode)
    {
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, mode);
    }

    private const string InstallHint = "Install it: apt-get install krb5-kdc krb5-admin-server krb5-user.";

    // udp_preference_limit = 1: every request goes over TCP, the port the test waits on.
    private string ClientConfig() => $$"""
        [libdefaults]
            default_realm = {{Name}}
            dns_lookup_kdc = false
            dns_lookup_realm = false
            dns_canonicalize_hostname = false
            rdns = false
            udp_preference_limit = 1
        [realms]
            {{Name}} = {
                kdc = 127.0.0.1:{{KdcPort}}
            }
        [domain_realm]
            {{ServiceHost}} = {{Name}}

        """;

    private string KdcConfig() => $$"""
        [kdcdefaults]
            kdc_listen = 127.0.0.1:{{KdcPort}}
            kdc_tcp_listen = 127.0.0.1:{{KdcPort}}
        [realms]
            {{Name}} = {
                database_name = {{Path.Combine(Directory, "principal")}}
                key_stash_file = {{Path.Combine(Directory, "stash")}}
                acl_file = {{Path.Combine(Directory, "kadm5.acl")}}
            }
        [logging]
            kdc = FILE:{{KdcLogPath}}

        """;
}
