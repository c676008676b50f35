using System.Text.RegularExpressions;
using ApicastSidecarProxy.DeploymentTests.Infrastructure;

namespace ApicastSidecarProxy.DeploymentTests.Architecture;

/// <summary>
/// The source folders' dependencies point one way, as README's Layout section says: a folder uses only folders of a
/// lower layer (a using directive or a qualified name going up or sideways fails here).
/// </summary>
public partial class LayerTests
{
    /// <summary>Bottom to top; folders on one line are independent of each other.</summary>
    public static readonly string[][] Layers =
    [
        ["Configuration", "Failures"],
        ["Caching", "Redaction"],
        ["Logging", "Metrics"],
        ["Egress"],
        ["Forwarding"],
        ["ForwardProxy", "Management"],
        ["Hosting"],
        ["Diagnostics"],
    ];

    private static readonly string Source = Path.Combine(RepositoryFiles.Root, "src", "ApicastSidecarProxy");

    [Fact]
    public void EveryFolder_IsInALayer()
    {
        var folders = Directory.GetDirectories(Source).Select(Path.GetFileName).Where(name => name is not ("bin" or "obj"));

        Assert.All(folders, folder => Assert.Contains(Layers, layer => layer.Contains(folder)));
    }

    [Fact]
    public void DependenciesPointDown()
    {
        var wrong = new List<string>();
        foreach (var (layer, index) in Layers.Select((layer, index) => (layer, index)))
        {
            var allowed = Layers.Take(index).SelectMany(lower => lower).ToHashSet();
            foreach (var folder in layer)
            {
                foreach (var file in Directory.EnumerateFiles(Path.Combine(Source, folder), "*.cs", SearchOption.AllDirectories))
                {
                    var used = Reference().Matches(File.ReadAllText(file)).Select(match => match.Groups["folder"].Value)
                        .Where(used => used != folder && !allowed.Contains(used) && IsFolder(used)).Distinct();
                    wrong.AddRange(used.Select(used => $"{Path.GetRelativePath(Source, file)} uses {used}"));
                }
            }
        }

        Assert.Empty(wrong);
    }

    // Another project's namespace (the PAC engine's wire format, compiled into the sidecar too) is not a layer of this one.
    private static bool IsFolder(string name) => Directory.Exists(Path.Combine(Source, name));

    [GeneratedRegex(@"\bApicastSidecarProxy\.(?<folder>[A-Z][A-Za-z]+)\b")]
    private static partial Regex Reference();
}
