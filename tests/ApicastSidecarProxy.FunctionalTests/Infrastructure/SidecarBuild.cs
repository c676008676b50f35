namespace ApicastSidecarProxy.FunctionalTests.Infrastructure;

/// <summary>Where the sidecar's own build output is: same configuration (Debug/Release) as these tests.</summary>
public static class SidecarBuild
{
    public static string AssemblyPath { get; } = Locate();

    private static string Locate()
    {
        // tests/ApicastSidecarProxy.FunctionalTests/bin/<Configuration>/net10.0/
        var testOutput = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var framework = testOutput.Name;
        var configuration = testOutput.Parent!.Name;
        var repository = testOutput.Parent.Parent!.Parent!.Parent!.Parent!.FullName;
        var path = Path.Combine(repository, "src", "ApicastSidecarProxy", "bin", configuration, framework, "apicast-sidecar-proxy.dll");
        return File.Exists(path)
            ? path
            : throw new FileNotFoundException($"the sidecar is not built at {path}: build the solution first", path);
    }
}
