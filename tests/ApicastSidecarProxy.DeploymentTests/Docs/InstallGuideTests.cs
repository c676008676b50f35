using System.Text.RegularExpressions;
using ApicastSidecarProxy.DeploymentTests.Infrastructure;

namespace ApicastSidecarProxy.DeploymentTests.Docs;

/// <summary>docs/install.md points at files that exist and sets only settings the sidecar reads.</summary>
public partial class InstallGuideTests
{
    private static readonly string Text = File.ReadAllText(RepositoryFiles.InstallGuide);

    [Fact]
    public void EveryRepositoryPathItNames_Exists()
    {
        var paths = RepositoryPath().Matches(Text).Select(m => m.Value.TrimEnd('.', ',', ')')).Distinct().ToList();

        Assert.NotEmpty(paths);
        Assert.All(paths, path => Assert.True(
            File.Exists(RepositoryFiles.Absolute(path)) || Directory.Exists(RepositoryFiles.Absolute(path)), path));
    }

    [Fact]
    public void CoversTheThreeInstallPaths()
    {
        Assert.Contains("systemctl enable --now apicast-sidecar-proxy", Text);
        Assert.Contains("nohup ", Text);
        Assert.Contains("docker run ", Text);
        Assert.Contains("kubectl apply -k deploy/kubernetes", Text);
        Assert.Contains("oc process -f deploy/openshift/template.yaml", Text);
    }

    [Fact]
    public void SidecarDockerRun_SetsOnlySettingsTheApplicationReads()
    {
        // The sidecar's docker run lines: those that run the sidecar image (APIcast's take other variables).
        var runs = DockerRun().Matches(Text).Select(m => m.Value).Where(run => run.Contains("apicast-sidecar-proxy:", StringComparison.Ordinal)).ToList();

        Assert.NotEmpty(runs);
        foreach (var run in runs)
        {
            var names = EnvFlag().Matches(run).Select(m => m.Groups["name"].Value).ToList();
            Assert.NotEmpty(names);
            Assert.All(names, name => Assert.True(SidecarSettings.Names.Contains(name), $"docker run sets {name}, not in SettingNames"));
        }
    }

    [GeneratedRegex(@"(?<![\w/.-])(deploy|build|docs|bench)/[A-Za-z0-9_./-]+")]
    private static partial Regex RepositoryPath();

    // One docker run command, continuation lines included.
    [GeneratedRegex(@"docker run (?:[^\n]*\\\n)*[^\n]*")]
    private static partial Regex DockerRun();

    [GeneratedRegex(@"-e (?<name>[A-Za-z_][A-Za-z0-9_]*)(=|\s)")]
    private static partial Regex EnvFlag();
}
