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
            Assert.All(names, name => Assert.True(SidecarSettings.IsRead(name), $"docker run sets {name}, not in SettingNames"));
        }
    }

    [Fact]
    public void CoversTheOperatorVariant_AndTheImageBuildCiRuns()
    {
        Assert.Contains("oc process -f deploy/openshift/operator-variant.yaml", Text);
        Assert.Contains("build/image.sh", Text);
        Assert.Contains("podman build -f deploy/docker/Dockerfile", Text);
    }

    [Theory]
    [InlineData("deploy/openshift/template.yaml")]
    [InlineData("deploy/openshift/operator-variant.yaml")]
    public void OcProcessCommands_SetOnlyParametersTheTemplateDeclares(string template)
    {
        var declared = YamlFile.LoadSingle(RepositoryFiles.Absolute(template)).Maps("parameters").Select(p => p.String("name")).ToHashSet();
        var commands = OcProcess().Matches(Text).Select(m => m.Value)
            .Where(c => c.Contains($"-f {template}", StringComparison.Ordinal) && !c.Contains("--parameters", StringComparison.Ordinal)).ToList();

        Assert.NotEmpty(commands);
        foreach (var command in commands)
        {
            var set = ParameterFlag().Matches(command).Select(m => m.Groups["name"].Value).ToList();
            Assert.All(set, name => Assert.True(declared.Contains(name), $"{template} has no parameter {name}"));
            // Every required parameter without a default is given.
            var required = YamlFile.LoadSingle(RepositoryFiles.Absolute(template)).Maps("parameters")
                .Where(p => p.OptionalString("required") == "true" && p.OptionalString("value") is null)
                .Select(p => p.String("name"));
            Assert.All(required, name => Assert.Contains(name, set));
        }
    }

    [Fact]
    public void ContainerSection_GivesTheMeasuredImageSize()
    {
        Assert.Matches(@"\| the image \| [0-9]+\.[0-9] MB \|", Text);
    }

    [GeneratedRegex(@"(?<![\w/.-])(deploy|build|docs|bench)/[A-Za-z0-9_./-]+")]
    private static partial Regex RepositoryPath();

    // One docker run command, continuation lines included.
    [GeneratedRegex(@"docker run (?:[^\n]*\\\n)*[^\n]*")]
    private static partial Regex DockerRun();

    [GeneratedRegex(@"-e (?<name>[A-Za-z_][A-Za-z0-9_]*)(=|\s)")]
    private static partial Regex EnvFlag();

    // One oc process command, continuation lines included.
    [GeneratedRegex(@"oc process (?:[^\n]*\\\n)*[^\n]*")]
    private static partial Regex OcProcess();

    [GeneratedRegex(@"-p (?<name>[A-Z0-9_]+)=")]
    private static partial Regex ParameterFlag();
}
