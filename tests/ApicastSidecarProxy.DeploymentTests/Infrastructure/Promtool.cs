using System.Diagnostics;

namespace ApicastSidecarProxy.DeploymentTests.Infrastructure;

/// <summary>Runs Prometheus's promtool (Debian package prometheus, which build/test.sh installs).</summary>
public static class Promtool
{
    private static readonly string[] Directories = ["/usr/bin", "/usr/local/bin", "/usr/sbin"];

    /// <summary>Runs promtool with <paramref name="arguments"/> in <paramref name="directory"/>; its exit code and output.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string directory, params string[] arguments)
    {
        var startInfo = new ProcessStartInfo(Executable())
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments) startInfo.ArgumentList.Add(argument);

        using var process = Process.Start(startInfo)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    private static string Executable() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Concat(Directories)
            .Select(directory => Path.Combine(directory, "promtool"))
            .FirstOrDefault(File.Exists)
        ?? throw new FileNotFoundException("promtool is not installed: apt-get install prometheus (build/test.sh does)");
}
