using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace ApicastSidecarProxy.Egress.Pac;

/// <summary>
/// Starts apicast-sidecar-pac, the PAC engine, from the sidecar's own directory: the Native AOT executable, or in a JIT
/// build started by the dotnet host (tests, dotnet run), the engine's assembly through that same host. The engine
/// inherits only the variables it needs (its clock's time zone, the resolver's), none of the sidecar's secrets.
/// </summary>
public static class PacEngineProcess
{
    public const string ExecutableName = "apicast-sidecar-pac";

    private static readonly string[] InheritedVariables =
        ["PATH", "HOME", "TZ", "LANG", "LC_ALL", "LOCALDOMAIN", "RES_OPTIONS", "HOSTALIASES", "DOTNET_ROOT"];

    /// <exception cref="PacEngineException">The engine's executable is missing or cannot be run.</exception>
    public static PacEngineConnection Start() => Start(StartInfo(AppContext.BaseDirectory, Environment.ProcessPath));

    internal static ProcessStartInfo StartInfo(string directory, string? hostPath)
    {
        var assembly = Path.Combine(directory, ExecutableName + ".dll");
        var startInfo = Path.GetFileNameWithoutExtension(hostPath) == "dotnet" && File.Exists(assembly)
            ? new ProcessStartInfo(hostPath!) { ArgumentList = { assembly } }
            : new ProcessStartInfo(Path.Combine(directory, ExecutableName));
        startInfo.UseShellExecute = false;
        startInfo.RedirectStandardInput = true;
        startInfo.RedirectStandardOutput = true;
        startInfo.StandardInputEncoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
        startInfo.StandardOutputEncoding = startInfo.StandardInputEncoding;
        startInfo.WorkingDirectory = directory;
        startInfo.Environment.Clear();
        foreach (var name in InheritedVariables)
        {
            if (Environment.GetEnvironmentVariable(name) is { } value)
            {
                startInfo.Environment[name] = value;
            }
        }

        return startInfo;
    }

    internal static PacEngineConnection Start(ProcessStartInfo startInfo)
    {
        Process process;
        try
        {
            process = Process.Start(startInfo) ?? throw new PacEngineException($"could not be started ({startInfo.FileName})");
        }
        catch (Win32Exception e)
        {
            throw new PacEngineException($"could not be started ({startInfo.FileName}: {e.Message})");
        }

        return new PacEngineConnection(process.StandardInput, process.StandardOutput, () => !process.HasExited, () => Stop(process));
    }

    private static void Stop(Process process)
    {
        try
        {
            // Its standard input closing ends the engine; a hung one is killed.
            process.StandardInput.Close();
            if (!process.WaitForExit(TimeSpan.FromSeconds(1)))
            {
                process.Kill();
            }
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or Win32Exception)
        {
            // It has exited already.
        }
        finally
        {
            process.Dispose();
        }
    }
}
