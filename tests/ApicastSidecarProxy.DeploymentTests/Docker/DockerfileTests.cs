using System.Text.RegularExpressions;
using ApicastSidecarProxy.DeploymentTests.Infrastructure;

namespace ApicastSidecarProxy.DeploymentTests.Docker;

/// <summary>
/// The Dockerfile, checked as text: multi-stage, built by build/publish.sh, unprivileged, the three ports, OCI labels,
/// one definition for users and CI. The image itself is built and run by the container tests
/// (tests/ApicastSidecarProxy.FunctionalTests/Container/).
/// </summary>
public partial class DockerfileTests
{
    private static readonly IReadOnlyList<(string Instruction, string Arguments)> Instructions = Parse(File.ReadAllText(RepositoryFiles.Dockerfile));

    private static IEnumerable<(string Instruction, string Arguments)> FinalStage =>
        Instructions.Skip(Instructions.Select((i, index) => (i, index)).Last(x => x.i.Instruction == "FROM").index);

    [Fact]
    public void IsMultiStage_WithABuildStageThatRunsThePublishScript()
    {
        var froms = Instructions.Where(i => i.Instruction == "FROM").ToList();

        Assert.True(froms.Count >= 2, "a build stage and a runtime stage");
        Assert.Contains("AS build", froms[0].Arguments, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(Instructions, i => i.Instruction == "RUN" && i.Arguments.Contains("build/publish.sh", StringComparison.Ordinal));
        Assert.Contains(Instructions, i => i.Instruction == "COPY" && i.Arguments.Contains("build/publish.sh", StringComparison.Ordinal));
        // Through the `binary` stage, which is `build` unless CI passes BINARY=prebuilt.
        Assert.Contains(FinalStage, i => i.Instruction == "COPY" && i.Arguments.StartsWith("--from=binary", StringComparison.Ordinal));
    }

    [Fact]
    public void RuntimeStage_SetsNoRuntimeVariables_TheBinaryCarriesThem()
    {
        // The garbage collector's settings are baked into the binary (Build/RuntimeSettingsTests): a DOTNET_* variable
        // here would make the image behave differently from the plain binary.
        Assert.DoesNotContain(FinalStage, i => i.Instruction == "ENV" && i.Arguments.StartsWith("DOTNET_", StringComparison.Ordinal));
    }

    [Fact]
    public void FilesCopiedFromTheContext_Exist()
    {
        // ${PREBUILT_BINARY} is build/publish.sh's output, which only exists once CI has published it.
        var sources = Instructions
            .Where(i => i.Instruction == "COPY" && !i.Arguments.Contains("--from=", StringComparison.Ordinal))
            .SelectMany(i => i.Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(a => !a.StartsWith("--", StringComparison.Ordinal)).SkipLast(1))
            .Where(source => !source.StartsWith("${", StringComparison.Ordinal));

        Assert.All(sources, source => Assert.True(
            File.Exists(RepositoryFiles.Absolute(source)) || Directory.Exists(RepositoryFiles.Absolute(source)), source));
    }

    [Fact]
    public void SdkAndRootfsStages_RunOnTheBuildPlatform_SoArm64IsCrossBuiltNotEmulated()
    {
        var froms = Instructions.Where(i => i.Instruction == "FROM").Select(i => i.Arguments).ToList();

        Assert.Contains(froms, from => from.StartsWith("--platform=$BUILDPLATFORM ${SDK_IMAGE} AS build", StringComparison.Ordinal));
        Assert.Contains(froms, from => from.StartsWith("--platform=$BUILDPLATFORM ${DEBIAN_IMAGE} AS rootfs", StringComparison.Ordinal));
    }

    [Fact]
    public void OneDefinitionForUsersAndCi_TheBaseAndTheBinaryAreBuildArguments()
    {
        // Users: the base assembled in the rootfs stage, the binary from the SDK stage. CI (build/image.sh): its own
        // assembly of the same base, and the binary it has just published and smoke-tested.
        Assert.Contains(("ARG", "RUNTIME_BASE=runtime-base"), Instructions);
        Assert.Contains(("ARG", "BINARY=build"), Instructions);
        Assert.Contains(("FROM", "scratch AS runtime-base"), Instructions);
        Assert.Contains(("FROM", "${BINARY:-build} AS binary"), Instructions);
        Assert.Equal("${RUNTIME_BASE:-runtime-base}", FinalStage.First().Arguments);
        Assert.Contains(Instructions, i => i.Instruction == "RUN" && i.Arguments.Contains("runtime-rootfs.sh", StringComparison.Ordinal));

        var imageScript = File.ReadAllText(RepositoryFiles.Absolute("build/image.sh"));
        Assert.Contains("--build-arg RUNTIME_BASE=", imageScript);
        Assert.Contains("--build-arg BINARY=prebuilt", imageScript);
        Assert.Contains("build/runtime-rootfs.sh", imageScript);
    }

    [Fact]
    public void RuntimeBase_CarriesTheKerberosLibrary_AndTheNtlmMechanismThatMakesDotnetOfferKerberos()
    {
        var rootfsScript = File.ReadAllText(RepositoryFiles.Absolute("build/runtime-rootfs.sh"));
        var imageScript = File.ReadAllText(RepositoryFiles.Absolute("build/image.sh"));
        var packages = PackageList().Match(rootfsScript).Groups["list"].Value.Split(',');

        Assert.Superset(new HashSet<string> { "libc6", "libssl3", "libgssapi-krb5-2", "gss-ntlmssp", "ca-certificates" }, packages.ToHashSet());
        Assert.Equal(PackageList().Match(imageScript).Groups["list"].Value, string.Join(',', packages));
    }

    [Fact]
    public void RuntimeStage_RunsAsANumericNonRootUser()
    {
        var user = FinalStage.Last(i => i.Instruction == "USER").Arguments;
        var uid = user.Split(':')[0];

        Assert.Matches("^[0-9]+$", uid);
        Assert.NotEqual(0, int.Parse(uid));
    }

    [Fact]
    public void Exposes_PortalBackendAndManagementPorts()
    {
        var exposed = FinalStage.Where(i => i.Instruction == "EXPOSE").SelectMany(i => i.Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToHashSet();

        Assert.Superset(new HashSet<string>
        {
            $"{Configuration.SettingNames.DefaultPortalListenPort}",
            $"{Configuration.SettingNames.DefaultBackendListenPort}",
            $"{Configuration.SettingNames.DefaultManagementPort}",
        }, exposed);
    }

    [Fact]
    public void HasOciLabels()
    {
        var labels = string.Join(" ", FinalStage.Where(i => i.Instruction == "LABEL").Select(i => i.Arguments));

        foreach (var key in new[] { "title", "description", "version", "revision", "licenses" })
        {
            Assert.Contains($"org.opencontainers.image.{key}=", labels, StringComparison.Ordinal);
        }

        // The license the image declares is the repository's.
        Assert.Contains("org.opencontainers.image.licenses=\"MIT\"", labels, StringComparison.Ordinal);
        Assert.StartsWith("MIT License", File.ReadAllText(RepositoryFiles.Absolute("LICENSE")));
    }

    [Fact]
    public void Entrypoint_IsTheBinaryInExecForm_WithNoSettingsBakedIn()
    {
        var entrypoint = FinalStage.Single(i => i.Instruction == "ENTRYPOINT").Arguments;

        Assert.Matches(@"^\[""/[^""]*/apicast-sidecar-proxy""\]$", entrypoint);
        // Settings belong to docker run -e / the pod, not the image: an ENV here would surprise whoever reads the
        // environment. The only exception is the runtime's own garbage-collector tuning, which is no sidecar setting.
        Assert.DoesNotContain(FinalStage, i => i.Instruction == "ENV" && !i.Arguments.StartsWith("DOTNET_GC", StringComparison.Ordinal));
    }

    [Fact]
    public void DockerIgnore_KeepsWhatTheBuildCopies()
    {
        var rules = File.ReadAllLines(RepositoryFiles.DockerIgnore).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();

        Assert.Equal("**", rules[0]);
        foreach (var kept in new[] { "!global.json", "!Directory.Build.props", "!build/publish.sh", "!build/runtime-rootfs.sh", "!src/**", "!out/linux-*/apicast-sidecar-proxy" })
        {
            Assert.Contains(kept, rules);
        }
    }

    /// <summary>Instructions with their arguments, continuation lines joined, comments dropped.</summary>
    private static List<(string, string)> Parse(string text)
    {
        var joined = Continuation().Replace(text, " ");
        return joined.Split('\n')
            .Select(line => line.Trim())
            .Where(line => line.Length > 0 && !line.StartsWith('#'))
            .Select(line => line.Split(' ', 2))
            .Select(parts => (parts[0].ToUpperInvariant(), parts.Length > 1 ? Whitespace().Replace(parts[1].Trim(), " ") : ""))
            .ToList();
    }

    [GeneratedRegex(@"\\\r?\n(\s*#[^\n]*\n)*")]
    private static partial Regex Continuation();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex(@"RUNTIME_PACKAGES:-(?<list>[a-z0-9.,+-]+)\}")]
    private static partial Regex PackageList();
}
