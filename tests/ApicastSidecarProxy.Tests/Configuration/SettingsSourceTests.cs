using ApicastSidecarProxy.Configuration;

namespace ApicastSidecarProxy.Tests.Configuration;

public class SettingsSourceTests
{
    [Fact]
    public void AFlagWithOneDash_IsAConfigurationError_ThatDoesNotEchoIt()
    {
        var error = Assert.Throws<ConfigurationException>(() => SettingsSource.FromProcess(["-PROXY_PASSWORD=s3cr3t-flag"]));

        Assert.Equal("command line", error.Variable);
        Assert.DoesNotContain("s3cr3t-flag", error.Message);
    }

    [Theory]
    [InlineData("chek")]
    [InlineData("--LOG_LEVEL=debug", "check")]
    [InlineData("--LOG_LEVEL", "debug", "extra")]
    public void AStrayWord_IsAConfigurationError(params string[] args)
    {
        var error = Assert.Throws<ConfigurationException>(() => SettingsSource.FromProcess(args));

        Assert.Equal("command line", error.Variable);
        Assert.Contains($"argument {args.Length}", error.Message);
    }

    [Fact]
    public void FlagsInBothForms_AreRead()
    {
        var settings = SettingsSource.FromProcess(["--SIDECAR_TEST_A=1", "--SIDECAR_TEST_B", "2"]);

        Assert.Equal(("1", "2"), (settings.Get("SIDECAR_TEST_A"), settings.Get("SIDECAR_TEST_B")));
    }

    [Theory]
    [InlineData("{ \"LOG_LEVEL\": ")]
    [InlineData("not json at all")]
    public void ABrokenSettingsFile_IsAConfigurationError(string content)
    {
        var directory = Directory.CreateTempSubdirectory();
        try
        {
            File.WriteAllText(Path.Combine(directory.FullName, "appsettings.json"), content);

            var error = Assert.Throws<ConfigurationException>(() => SettingsSource.FromProcess([], directory.FullName));

            Assert.Equal("appsettings.json", error.Variable);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public void TheSettingsFile_IsReadBelowFlags()
    {
        var directory = Directory.CreateTempSubdirectory();
        try
        {
            File.WriteAllText(Path.Combine(directory.FullName, "appsettings.json"),
                "{ \"SIDECAR_TEST_FILE_ONLY\": \"from-file\", \"SIDECAR_TEST_BOTH\": \"from-file\" }");

            var settings = SettingsSource.FromProcess(["--SIDECAR_TEST_BOTH=from-flag"], directory.FullName);

            Assert.Equal("from-file", settings.Get("SIDECAR_TEST_FILE_ONLY"));
            Assert.Equal("from-flag", settings.Get("SIDECAR_TEST_BOTH"));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
