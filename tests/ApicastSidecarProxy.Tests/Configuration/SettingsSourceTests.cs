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
        var settings = SettingsSource.FromProcess(["--LOG_LEVEL=debug", "--log_format", "json"]);

        Assert.Equal(("debug", "json"), (settings.Get("LOG_LEVEL"), settings.Get("LOG_FORMAT")));
    }

    [Theory]
    [InlineData("--PORTAL_LISTEN_PORTT=1", "PORTAL_LISTEN_PORTT")]
    [InlineData("--PROXY_PASSWROD=s3cr3t-typo", "PROXY_PASSWROD")]
    [InlineData("--nonsense", "--nonsense has no value")]
    public void AnUnknownFlag_IsAConfigurationError_NamingItButNotItsValue(string flag, string name)
    {
        var error = Assert.Throws<ConfigurationException>(() => SettingsSource.FromProcess(["--LOG_LEVEL=debug", flag]));

        Assert.Equal("command line", error.Variable);
        Assert.Contains(name.StartsWith("--") ? name : $"unknown setting --{name}", error.Message);
        Assert.DoesNotContain("s3cr3t", error.Message);
    }

    [Fact]
    public void EveryConstantOfSettingNames_IsAKnownFlag()
    {
        var constants = typeof(SettingNames).GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)
            .Where(field => !field.Name.StartsWith("Default", StringComparison.Ordinal) && field.Name != nameof(SettingNames.All))
            .SelectMany(field => field.GetValue(null) switch { string name => [name], string[] names => names, _ => Array.Empty<string>() })
            .ToList();

        Assert.All(constants, name => Assert.Contains(name, SettingNames.All));
        Assert.All(SettingNames.All, name => Assert.Contains(name, constants, StringComparer.OrdinalIgnoreCase));
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
                "{ \"LOG_FORMAT\": \"json\", \"LOG_LEVEL\": \"warning\" }");

            var settings = SettingsSource.FromProcess(["--LOG_LEVEL=debug"], directory.FullName);

            Assert.Equal("json", settings.Get("LOG_FORMAT"));
            Assert.Equal("debug", settings.Get("LOG_LEVEL"));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
