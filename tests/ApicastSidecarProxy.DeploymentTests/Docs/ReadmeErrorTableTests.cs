using System.Text.RegularExpressions;
using ApicastSidecarProxy.DeploymentTests.Infrastructure;
using ApicastSidecarProxy.Failures;

namespace ApicastSidecarProxy.DeploymentTests.Docs;

/// <summary>The README's Errors table lists exactly the failure codes the sidecar can write, each once.</summary>
public partial class ReadmeErrorTableTests
{
    [Fact]
    public void ErrorsTable_ListsExactlyTheFailureCodes()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryFiles.Root, "README.md"));
        var section = readme[readme.IndexOf("\n## Errors\n", StringComparison.Ordinal)..];
        section = section[..section.IndexOf("\n## ", 1, StringComparison.Ordinal)];

        var documented = TableCode().Matches(section).Select(match => match.Groups["code"].Value).ToList();

        Assert.Equal(documented.Distinct().Count(), documented.Count);
        Assert.Equal(FailureCodes.All.Select(code => code.Text()).Order(), documented.Order());
    }

    [GeneratedRegex(@"^\| `(?<code>[a-z_]+)` \|", RegexOptions.Multiline)]
    private static partial Regex TableCode();
}
