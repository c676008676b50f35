using System.Xml.Linq;
using ApicastSidecarProxy.DeploymentTests.Infrastructure;

namespace ApicastSidecarProxy.DeploymentTests.Build;

/// <summary>
/// The JavaScript interpreter stays out of the sidecar's binary: linked in, unused, it cost every sidecar 5 MiB of idle
/// and peak RSS (bench/RESULTS.md). PROXY_PAC's scripts run in apicast-sidecar-pac, which ships beside it.
/// </summary>
public class PacEngineSeparationTests
{
    private static readonly XDocument Project = XDocument.Load(RepositoryFiles.SidecarProject);

    [Fact]
    public void TheSidecar_ReferencesNeitherJintNorTheEnginesAssembly()
    {
        Assert.DoesNotContain(Project.Descendants("PackageReference"), e => (string?)e.Attribute("Include") is "Jint" or "Acornima");
        var engine = Assert.Single(Project.Descendants("ProjectReference"),
            e => ((string?)e.Attribute("Include"))?.Contains("PacEngine", StringComparison.Ordinal) == true);
        Assert.Equal("false", (string?)engine.Attribute("ReferenceOutputAssembly"));
    }

    [Fact]
    public void PublishAndImage_ShipTheEngineBesideTheSidecar()
    {
        Assert.Contains("apicast-sidecar-pac", File.ReadAllText(RepositoryFiles.Absolute("build/publish.sh")), StringComparison.Ordinal);
        Assert.Contains("/out/apicast-sidecar-proxy /out/apicast-sidecar-pac /app/",
            File.ReadAllText(RepositoryFiles.Absolute("deploy/docker/Dockerfile")), StringComparison.Ordinal);
        Assert.Contains("!out/linux-*/apicast-sidecar-pac",
            File.ReadLines(RepositoryFiles.Absolute("deploy/docker/Dockerfile.dockerignore")));
        Assert.Contains("out/linux-x64/apicast-sidecar-pac", File.ReadAllText(RepositoryFiles.SystemdUnit), StringComparison.Ordinal);
    }
}
