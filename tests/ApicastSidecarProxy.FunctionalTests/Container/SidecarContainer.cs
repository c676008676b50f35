using ApicastSidecarProxy.FunctionalTests.Infrastructure;

namespace ApicastSidecarProxy.FunctionalTests.Container;

/// <summary>
/// How <see cref="SidecarProcess"/> runs the container image instead of the build output: <c>podman run</c> in the
/// foreground (its stdout is the sidecar's, SIGTERM is forwarded, its exit code is the sidecar's), on the host network
/// (the upstream, proxies and KDC listen on loopback), with a read-only root filesystem and an arbitrary UID in group 0
/// as OpenShift assigns. Files are bind-mounted read-only, the way docs/install.md tells users to.
/// </summary>
public sealed record SidecarContainer
{
    /// <summary>An OpenShift-style UID: from the project's range, in no /etc/passwd.</summary>
    public const string ArbitraryUser = "1000770000:0";

    public string Image { get; init; } = SidecarImage.Name;

    /// <summary>The user to run as; null: the image's own.</summary>
    public string? User { get; init; } = ArbitraryUser;

    /// <summary>Host file -> path in the container.</summary>
    public IReadOnlyDictionary<string, string> Mounts { get; init; } = new Dictionary<string, string>();

    /// <summary>Host directory or named volume -> path in the container, writable (as an emptyDir volume is).</summary>
    public IReadOnlyDictionary<string, string> WritableMounts { get; init; } = new Dictionary<string, string>();

    /// <summary>A unique container name, so cleanup removes exactly this container.</summary>
    public string Name { get; } = $"sidecar-test-{Guid.NewGuid():N}"[..26];

    public static string Podman => ExecutableLocator.Find("podman", "Install it: apt-get install podman runc.");

    /// <summary>
    /// The <c>podman run</c> arguments. Variables are passed by name only (<c>-e NAME</c>): podman takes their values from
    /// its own environment, so no secret appears on a command line.
    /// </summary>
    public IReadOnlyList<string> RunArguments(IEnumerable<string> variableNames, IEnumerable<string> flags)
    {
        // --read-only-tmpfs=false: not even /tmp is writable (podman mounts one by default, docker does not).
        List<string> arguments = ["run", "--rm", "--name", Name, "--network", "host", "--read-only", "--read-only-tmpfs=false"];
        if (User is not null) arguments.AddRange(["--user", User]);
        foreach (var (source, target) in Mounts) arguments.AddRange(["-v", $"{source}:{target}:ro"]);
        foreach (var (source, target) in WritableMounts) arguments.AddRange(["-v", $"{source}:{target}"]);
        foreach (var name in variableNames) arguments.AddRange(["-e", name]);
        arguments.Add(Image);
        arguments.AddRange(flags);
        return arguments;
    }

    /// <summary>Removes the container when podman itself was killed (conmon keeps a container running without it).</summary>
    public Task RemoveAsync() => CommandLineTool.RunAsync(Podman, ["rm", "--force", "--ignore", "--time", "0", Name]);
}
