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

    private static readonly List<string?> IlcArguments =
        Project.Descendants("IlcArg").Select(e => (string?)e.Attribute("Include")).ToList();

    [Fact]
    public void GarbageCollectorsYoungGeneration_IsBakedIntoTheNativeAotBinary()
    {
        // Native AOT reads --runtimeopt settings as it reads DOTNET_ variables: hex digits without 0x (4 MiB).
        Assert.Contains("--runtimeopt:GCgen0size=400000", IlcArguments);
    }

    [Fact]
    public void GarbageCollectorsRegionSize_IsBakedIntoTheNativeAotBinary()
    {
        // 1 MiB regions: less committed and not in use than the default 4 MiB (the peak RSS at c=50, bench/RESULTS.md).
        Assert.Contains("--runtimeopt:GCRegionSize=100000", IlcArguments);
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
