using System.Globalization;
using ApicastSidecarProxy.FunctionalTests.Infrastructure;

namespace ApicastSidecarProxy.FunctionalTests.Container;

/// <summary>What the image is, from podman's view: small, unprivileged by default, nothing to run but the sidecar.</summary>
[Trait("Category", "Container")]
public class ImageContentsTests
{
    /// <summary>The target for linux-x64, uncompressed (measured: 38.5 MB with the PAC engine, docs/install.md).</summary>
    private const long MaximumBytes = 40_000_000;

    [Fact]
    public async Task Image_IsAtMost40MegabytesUncompressed()
    {
        var size = long.Parse(await InspectAsync("{{.Size}}"), CultureInfo.InvariantCulture);

        Assert.True(size <= MaximumBytes, $"{SidecarImage.Name} is {size:N0} bytes");
    }

    [Fact]
    public async Task Image_RunsAsANumericNonRootUserInGroup0_ByDefault()
    {
        Assert.Equal("1654:0", await InspectAsync("{{.Config.User}}"));
        var version = await CommandLineTool.RunAsync(SidecarContainer.Podman,
            ["run", "--rm", "--network", "host", "--read-only", SidecarImage.Name, "--version"]);
        Assert.StartsWith("apicast-sidecar-proxy ", version);
    }

    [Theory]
    [InlineData("/bin/sh")]
    [InlineData("/usr/bin/dpkg")]
    [InlineData("/usr/bin/apt-get")]
    [InlineData("/usr/bin/openssl")]
    public async Task Image_HasNoShellPackageManagerOrTools(string program)
    {
        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => CommandLineTool.RunAsync(SidecarContainer.Podman,
            ["run", "--rm", "--network", "host", "--entrypoint", program, SidecarImage.Name]));

        Assert.Contains("no such file or directory", failure.Message, StringComparison.OrdinalIgnoreCase);
    }

    private static async Task<string> InspectAsync(string format) =>
        (await CommandLineTool.RunAsync(SidecarContainer.Podman, ["image", "inspect", "--format", format, SidecarImage.Name])).Trim();
}
