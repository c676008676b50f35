using System.Xml.Linq;
using ApicastSidecarProxy.DeploymentTests.Infrastructure;

namespace ApicastSidecarProxy.DeploymentTests.Build;

/// <summary>
/// The runtime settings the release binary is measured with are baked into it, so the plain binary started by hand
/// behaves as the image, the systemd unit and the benchmark (bench/RESULTS.md, "Memory diet") measured it.
/// </summary>
public class RuntimeSettingsTests
{
    private static readonly XDocument Project = XDocument.Load(RepositoryFiles.SidecarProject);

    [Fact]
    public void GarbageCollectorsYoungGeneration_IsBakedIntoTheNativeAotBinary()
    {
        // Native AOT reads --runtimeopt settings as it reads DOTNET_ variables: hex digits without 0x (4 MiB).
        var ilcArguments = Project.Descendants("IlcArg").Select(e => (string?)e.Attribute("Include")).ToList();
        Assert.Contains("--runtimeopt:GCgen0size=400000", ilcArguments);
    }

    [Fact]
    public void WorkstationGarbageCollector_IsKept()
    {
        // Server GC keeps a heap per core and a far larger young generation.
        Assert.Equal("false", Project.Descendants("ServerGarbageCollection").Single().Value);
    }

    [Fact]
    public void SystemdUnit_SetsNoRuntimeVariable()
    {
        Assert.DoesNotContain(File.ReadLines(RepositoryFiles.SystemdUnit),
            line => line.TrimStart().StartsWith("Environment=DOTNET_", StringComparison.Ordinal));
    }
}
