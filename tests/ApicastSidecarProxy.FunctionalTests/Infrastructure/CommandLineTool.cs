using System.Diagnostics;

namespace ApicastSidecarProxy.FunctionalTests.Infrastructure;

/// <summary>Runs a short-lived command-line tool to completion, bounded in time; a non-zero exit is an exception.</summary>
public static class CommandLineTool
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    /// <param name="standardInput">Written to the tool's stdin, which is then closed.</param>
    /// <returns>What the tool wrote to stdout.</returns>
    public static async Task<string> RunAsync(string executable, IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string>? environment = null, string standardInput = "")
    {
        var startInfo = new ProcessStartInfo(executable)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments) startInfo.ArgumentList.Add(argument);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) startInfo.Environment[name] = value;

        using var process = Process.Start(startInfo)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync(standardInput);
        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(Timeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: false); // this PID only
            throw new TimeoutException($"{Path.GetFileName(executable)} did not finish within {Timeout.TotalSeconds} s");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{Path.GetFileName(executable)} failed ({process.ExitCode}):\n{await output}\n{await error}");
        }

        return await output;
    }
}
