using System.Net;
using System.Text;
using ApicastSidecarProxy.FunctionalTests.Infrastructure;

namespace ApicastSidecarProxy.FunctionalTests.ConfigCache;

/// <summary>CONFIG_CACHE_DIR: stored answers survive a restart, encrypted and private; and the limits of what is served.</summary>
public sealed class PersistentCacheTests(ConfigCacheFixture fixture) : IClassFixture<ConfigCacheFixture>, IDisposable
{
    private const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private readonly string _root = Directory.CreateTempSubdirectory("config-cache-dir-").FullName;

    private string CacheDirectory => Path.Combine(_root, "cache");

    [Fact]
    public async Task Restart_WithTheProxyStillDown_ServesFromDisk()
    {
        await using var proxy = await fixture.StartProxyAsync();
        var environment = WithDirectory(fixture.SidecarEnvironment(proxy));
        var fresh = await DownloadAllAsync(environment);
        await proxy.StopAsync();

        await using var restarted = await SidecarProcess.StartAsync(environment);
        using var client = TestHttpClients.Direct();
        foreach (var target in ConfigCacheFixture.ApicastRequests)
        {
            var stale = await ConfigCacheFixture.GetAsync(client, restarted.PortalUri, target);
            Assert.True(stale.Status == HttpStatusCode.OK && stale.IsStale, $"{target}: {stale}");
            Assert.Equal(fresh[target].Body, stale.Body);
            Assert.Equal(fresh[target].ContentType, stale.ContentType);
        }
    }

    [Fact]
    public async Task Directory_IsPrivate_AndHoldsNoPlaintextTokenPathOrBody()
    {
        await using var proxy = await fixture.StartProxyAsync();
        var fresh = await DownloadAllAsync(WithDirectory(fixture.SidecarEnvironment(proxy)));

        Assert.Equal(Private, File.GetUnixFileMode(CacheDirectory));
        var entries = Directory.GetDirectories(CacheDirectory).Single();
        Assert.Equal(Private, File.GetUnixFileMode(entries));
        var files = Directory.GetFiles(entries);
        Assert.Equal(ConfigCacheFixture.ApicastRequests.Length, files.Length);
        var forbidden = new[]
        {
            ConfigCacheFixture.Token, FakeAdminPortal.Authorization(ConfigCacheFixture.Token)["Basic ".Length..],
            "proxy_configs", "services", "production", "mapping_rules", "generation", "application/json",
        };
        foreach (var file in files)
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
            var text = Encoding.Latin1.GetString(File.ReadAllBytes(file));
            Assert.All(forbidden, secret => Assert.DoesNotContain(secret, text));
            Assert.All(forbidden, secret => Assert.DoesNotContain(secret, Path.GetFileName(file)));
            Assert.All(fresh.Values, answer => Assert.DoesNotContain(answer.Text[..40], text));
        }
    }

    [Fact]
    public async Task CorruptEntry_IsIgnoredAndCounted_NeverServed()
    {
        await using var proxy = await fixture.StartProxyAsync();
        var environment = WithDirectory(fixture.SidecarEnvironment(proxy));
        var target = ConfigCacheFixture.ApicastRequests[0];
        await DownloadAllAsync(environment, target);
        var file = Directory.GetFiles(Directory.GetDirectories(CacheDirectory).Single()).Single();
        var bytes = File.ReadAllBytes(file);
        bytes[^1] ^= 0xFF;
        File.WriteAllBytes(file, bytes);
        await proxy.StopAsync();

        await using var restarted = await SidecarProcess.StartAsync(environment);
        using var client = TestHttpClients.Direct();
        var answer = await ConfigCacheFixture.GetAsync(client, restarted.PortalUri, target);

        Assert.True(answer.Status == HttpStatusCode.BadGateway && answer.Error == "proxy_unreachable", answer.ToString());
        Assert.Equal(1, await SidecarMetricsReader.SumAsync(restarted, "apicast_sidecar_config_cache_unreadable_entries_total"));
    }

    [Fact]
    public async Task StoredAnswer_ExpiresAfterMaxStale()
    {
        await using var proxy = await fixture.StartProxyAsync();
        var environment = fixture.SidecarEnvironment(proxy);
        environment["CONFIG_CACHE_MAX_STALE"] = "2";
        await using var sidecar = await SidecarProcess.StartAsync(environment);
        using var client = TestHttpClients.Direct();
        var target = ConfigCacheFixture.ApicastRequests[1];
        await ConfigCacheFixture.GetAsync(client, sidecar.PortalUri, target);
        await proxy.StopAsync();
        Assert.True((await ConfigCacheFixture.GetAsync(client, sidecar.PortalUri, target)).IsStale);

        var expired = await Eventually.ReturnsAsync(() => ConfigCacheFixture.GetAsync(client, sidecar.PortalUri, target),
            answer => !answer.IsStale, TimeSpan.FromSeconds(20), "the stored answer expiring");

        Assert.True(expired.Status == HttpStatusCode.BadGateway && expired.Error == "proxy_unreachable", expired.ToString());
    }

    [Fact]
    public async Task CacheOff_NothingIsServed()
    {
        await using var proxy = await fixture.StartProxyAsync();
        var environment = WithDirectory(fixture.SidecarEnvironment(proxy));
        environment["CONFIG_CACHE"] = "off";
        await using var sidecar = await SidecarProcess.StartAsync(environment);
        using var client = TestHttpClients.Direct();
        var target = ConfigCacheFixture.ApicastRequests[0];
        Assert.Equal(HttpStatusCode.OK, (await ConfigCacheFixture.GetAsync(client, sidecar.PortalUri, target)).Status);
        await proxy.StopAsync();

        var answer = await ConfigCacheFixture.GetAsync(client, sidecar.PortalUri, target);

        Assert.True(answer.Status == HttpStatusCode.BadGateway && answer.Cache is null, answer.ToString());
        Assert.False(Directory.Exists(CacheDirectory) && Directory.EnumerateFileSystemEntries(CacheDirectory, "*", SearchOption.AllDirectories).Any());
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private Dictionary<string, string> WithDirectory(Dictionary<string, string> environment)
    {
        environment["CONFIG_CACHE_DIR"] = CacheDirectory;
        return environment;
    }

    /// <summary>Runs a sidecar that downloads <paramref name="targets"/> (default: APIcast's pattern), then stops it with SIGTERM.</summary>
    private static async Task<Dictionary<string, Answer>> DownloadAllAsync(Dictionary<string, string> environment, params string[] targets)
    {
        var fresh = new Dictionary<string, Answer>();
        await using var sidecar = await SidecarProcess.StartAsync(environment);
        using var client = TestHttpClients.Direct();
        foreach (var target in targets.Length > 0 ? targets : ConfigCacheFixture.ApicastRequests)
        {
            fresh[target] = await ConfigCacheFixture.GetAsync(client, sidecar.PortalUri, target);
            Assert.True(fresh[target].Status == HttpStatusCode.OK, fresh[target].ToString());
        }

        Assert.Equal(0, await sidecar.TerminateAsync());
        return fresh;
    }
}
