using System.Runtime.InteropServices;

namespace ApicastSidecarProxy.FunctionalTests.Infrastructure;

/// <summary>
/// The users gss-ntlmssp accepts in this test process: the file named by NTLM_USER_FILE, one <c>DOMAIN:user:password</c>
/// line each. gss-ntlmssp reads the variable with the C library's getenv, which never sees
/// <see cref="Environment.SetEnvironmentVariable(string, string)"/> on Linux, so the variable is set with setenv(3), once,
/// when the test assembly loads: setenv is not safe while other threads call getenv, as tests running in parallel do.
/// The file is read again at every authentication.
/// </summary>
public static class NtlmUserFile
{
    private static readonly Lazy<string> FilePath = new(Create);
    private static readonly Lock WriteLock = new();

#pragma warning disable CA2255 // a test assembly's one-time process set-up, before any test thread runs
    [System.Runtime.CompilerServices.ModuleInitializer]
    internal static void SetBeforeAnyTest() => _ = FilePath.Value;
#pragma warning restore CA2255

    /// <summary>Lets <paramref name="domain"/>\<paramref name="user"/> in with <paramref name="password"/> (none may contain ':').</summary>
    public static void Add(string domain, string user, string password)
    {
        if ((domain + user + password).Contains(':')) throw new ArgumentException("NTLM_USER_FILE fields cannot contain ':'.");
        lock (WriteLock) File.AppendAllText(FilePath.Value, $"{domain}:{user}:{password}\n");
    }

    private static string Create()
    {
        var directory = Directory.CreateTempSubdirectory("ntlm-users-").FullName;
        var path = Path.Combine(directory, "users");
        File.WriteAllText(path, "");
        if (SetEnvironmentVariable("NTLM_USER_FILE", path, overwrite: 1) != 0)
        {
            throw new InvalidOperationException("setenv(NTLM_USER_FILE) failed");
        }

        AppDomain.CurrentDomain.ProcessExit += (_, _) => Directory.Delete(directory, recursive: true);
        return path;
    }

    [DllImport("libc", EntryPoint = "setenv", SetLastError = true)]
    private static extern int SetEnvironmentVariable(string name, string value, int overwrite);
}
