namespace ApicastSidecarProxy.FunctionalTests.Infrastructure;

/// <summary>Finds an installed program on PATH, then in the usual system directories.</summary>
public static class ExecutableLocator
{
    private static readonly string[] SystemDirectories = ["/usr/sbin", "/usr/bin", "/sbin", "/bin", "/usr/local/sbin", "/usr/local/bin"];

    /// <exception cref="FileNotFoundException">The program is not installed.</exception>
    public static string Find(string name, string installHint)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        var candidates = path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).Concat(SystemDirectories);
        foreach (var directory in candidates)
        {
            var file = Path.Combine(directory, name);
            if (File.Exists(file)) return file;
        }
        throw new FileNotFoundException($"'{name}' is not installed (looked on PATH and in /usr/sbin, /usr/bin). {installHint}", name);
    }
}
