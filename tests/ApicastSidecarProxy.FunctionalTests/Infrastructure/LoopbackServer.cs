namespace ApicastSidecarProxy.FunctionalTests.Infrastructure;

/// <summary>Starts a server program that listens on a loopback port, and waits (by polling the port) until it accepts.</summary>
public static class LoopbackServer
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(15);

    /// <exception cref="InvalidOperationException">The program exited or did not accept connections in time; it is killed.</exception>
    public static async Task<ChildProcess> StartAsync(string executable, IEnumerable<string> arguments, string workingDirectory,
        int port, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var process = ChildProcess.Start(executable, arguments, workingDirectory, environment);
        var ready = FreeTcpPort.WaitUntilAcceptingAsync(port, StartTimeout);
        var first = await Task.WhenAny(ready, process.Exited);
        if (first == ready && ready.IsCompletedSuccessfully && !process.HasExited) return process;

        var reason = process.HasExited ? $"exited with code {process.ExitCode}" : "did not accept connections in time";
        await process.DisposeAsync();
        throw new InvalidOperationException(
            $"{Path.GetFileName(executable)} on port {port} {reason}.\nOutput:\n{process.RecentOutput}");
    }
}
