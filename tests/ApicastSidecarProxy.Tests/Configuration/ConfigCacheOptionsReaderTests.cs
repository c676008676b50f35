using ApicastSidecarProxy.Configuration;

namespace ApicastSidecarProxy.Tests.Configuration;

public sealed class ConfigCacheOptionsReaderTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("config-cache-reader-").FullName;

    [Fact]
    public void Defaults_KeepAnswersInMemoryForADay()
    {
        var options = TestSettings.Read().ConfigCache;

        Assert.True(options.Enabled);
        Assert.Null(options.Directory);
        Assert.Equal(TimeSpan.FromHours(24), options.MaxStale);
        Assert.Equal(16 * 1024 * 1024, options.MaxEntryBytes);
        Assert.Equal(64 * 1024 * 1024, options.MaxBytes);
    }

    [Fact]
    public void OnlyThePortalRoute_ServesConfiguration()
    {
        var routes = TestSettings.Read().Routes;

        Assert.True(routes.Single(r => r.Name == "portal").ServesConfiguration);
        Assert.False(routes.Single(r => r.Name == "backend").ServesConfiguration);
    }

    [Theory]
    [InlineData("off")]
    [InlineData("OFF")]
    public void Off_DisablesTheCache(string value)
    {
        Assert.False(TestSettings.Read((SettingNames.ConfigCache, value)).ConfigCache.Enabled);
    }

    [Fact]
    public void UnknownMode_NamesTheVariable()
    {
        var error = Assert.Throws<ConfigurationException>(() => TestSettings.Read((SettingNames.ConfigCache, "disk")));

        Assert.Equal("CONFIG_CACHE: 'disk' is not a cache mode (memory or off)", error.Message);
    }

    [Fact]
    public void MissingDirectory_IsCreatedPrivate()
    {
        var path = Path.Combine(_directory, "nested", "cache");

        var options = TestSettings.Read((SettingNames.ConfigCacheDir, path)).ConfigCache;

        Assert.Equal(path, options.Directory);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(path));
        Assert.Empty(Directory.EnumerateFileSystemEntries(path));
    }

    [Fact]
    public void DirectoryThatCannotBeCreated_StopsStartUp()
    {
        var file = Path.Combine(_directory, "a-file");
        File.WriteAllText(file, "");

        var error = Assert.Throws<ConfigurationException>(() =>
            TestSettings.Read((SettingNames.ConfigCacheDir, Path.Combine(file, "cache"))));

        Assert.Equal(SettingNames.ConfigCacheDir, error.Variable);
        Assert.Contains("is not a writable directory", error.Message);
    }

    [Theory]
    [InlineData("3600", 3600)]
    [InlineData("90s", 90)]
    [InlineData("2592000", 2592000)]
    public void MaxStale_IsReadInSeconds(string value, int seconds)
    {
        var options = TestSettings.Read((SettingNames.ConfigCacheMaxStale, value)).ConfigCache;

        Assert.Equal(TimeSpan.FromSeconds(seconds), options.MaxStale);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-5")]
    [InlineData("1.5")]
    [InlineData("abc")]
    [InlineData("2592001")]
    public void BadMaxStale_NamesTheVariable(string value)
    {
        var error = Assert.Throws<ConfigurationException>(() => TestSettings.Read((SettingNames.ConfigCacheMaxStale, value)));

        Assert.Equal(SettingNames.ConfigCacheMaxStale, error.Variable);
    }

    [Theory]
    [InlineData("CONFIG_CACHE_MAX_ENTRY_BYTES", "0")]
    [InlineData("CONFIG_CACHE_MAX_BYTES", "lots")]
    [InlineData("CONFIG_CACHE_MAX_BYTES", "4294967296")]
    public void BadSizeLimit_NamesTheVariable(string variable, string value)
    {
        var error = Assert.Throws<ConfigurationException>(() => TestSettings.Read((variable, value)));

        Assert.Equal(variable, error.Variable);
    }

    [Fact]
    public void EntryLimitAboveTheTotal_IsRefused()
    {
        var error = Assert.Throws<ConfigurationException>(() => TestSettings.Read(
            (SettingNames.ConfigCacheMaxEntryBytes, "2000"), (SettingNames.ConfigCacheMaxBytes, "1000")));

        Assert.Equal("CONFIG_CACHE_MAX_ENTRY_BYTES: 2000 is more than CONFIG_CACHE_MAX_BYTES (1000)", error.Message);
    }

    [Fact]
    public void Off_IgnoresTheOtherCacheSettings()
    {
        var options = TestSettings.Read((SettingNames.ConfigCache, "off"), (SettingNames.ConfigCacheMaxStale, "0")).ConfigCache;

        Assert.False(options.Enabled);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
