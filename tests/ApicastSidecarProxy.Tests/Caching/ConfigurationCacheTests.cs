using ApicastSidecarProxy.Caching;
using ApicastSidecarProxy.Configuration;
using Microsoft.Extensions.Time.Testing;

namespace ApicastSidecarProxy.Tests.Caching;

public sealed class ConfigurationCacheTests : IDisposable
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 6, 12, 0, 0, TimeSpan.Zero));
    private readonly string _directory = Directory.CreateTempSubdirectory("config-cache-").FullName;

    [Fact]
    public void StoredAnswer_IsFound()
    {
        var cache = Memory();
        var key = cache.KeyFor(TestAnswers.Token, TestAnswers.Target, "");

        cache.Store(key, TestAnswers.JsonHeaders, TestAnswers.Body("page 1"));

        var found = cache.Find(key);
        Assert.NotNull(found);
        Assert.Equal(TestAnswers.Body("page 1"), found.Body);
        Assert.Equal(TestAnswers.JsonHeaders, found.Headers);
        Assert.Equal(1, cache.AnswersStored);
    }

    [Fact]
    public void AnotherTokenOrAnotherQuery_FindsNothing()
    {
        var cache = Memory();
        cache.Store(cache.KeyFor(TestAnswers.Token, TestAnswers.Target, ""), TestAnswers.JsonHeaders, TestAnswers.Body("page 1"));

        Assert.Null(cache.Find(cache.KeyFor(TestAnswers.OtherToken, TestAnswers.Target, "")));
        Assert.Null(cache.Find(cache.KeyFor(TestAnswers.Token, TestAnswers.Target + "&host=a.example", "")));
    }

    [Fact]
    public void AnswerOlderThanMaxStale_IsNeverReturned()
    {
        var cache = Memory(options => options with { MaxStale = TimeSpan.FromMinutes(10) });
        var key = cache.KeyFor(TestAnswers.Token, TestAnswers.Target, "");
        cache.Store(key, TestAnswers.JsonHeaders, TestAnswers.Body("page 1"));

        _time.Advance(TimeSpan.FromMinutes(10));
        Assert.NotNull(cache.Find(key));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(cache.Find(key));
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public void NewAnswer_ReplacesThePrevious()
    {
        var cache = Memory();
        var key = cache.KeyFor(TestAnswers.Token, TestAnswers.Target, "");
        cache.Store(key, TestAnswers.JsonHeaders, TestAnswers.Body("version 1"));

        cache.Store(key, TestAnswers.JsonHeaders, TestAnswers.Body("version 2"));

        Assert.Equal(TestAnswers.Body("version 2"), cache.Find(key)!.Body);
        Assert.Equal(1, cache.Count);
    }

    [Fact]
    public void UnchangedAnswer_RefreshesItsTime()
    {
        var cache = Memory(options => options with { MaxStale = TimeSpan.FromMinutes(10) });
        var key = cache.KeyFor(TestAnswers.Token, TestAnswers.Target, "");
        cache.Store(key, TestAnswers.JsonHeaders, TestAnswers.Body("page 1"));
        _time.Advance(TimeSpan.FromMinutes(8));

        cache.Confirm(key, cache.InMemory(key)!);
        _time.Advance(TimeSpan.FromMinutes(8));

        Assert.NotNull(cache.Find(key));
        Assert.Equal(TimeSpan.FromMinutes(8), cache.AgeOf(cache.Find(key)!));
        Assert.Equal(1, cache.AnswersStored);
    }

    [Fact]
    public void AnswerOverTheEntryLimit_IsNotKept_AndDropsThePrevious()
    {
        var cache = Memory(options => options with { MaxEntryBytes = 100 });
        var key = cache.KeyFor(TestAnswers.Token, TestAnswers.Target, "");
        cache.Store(key, TestAnswers.JsonHeaders, TestAnswers.Body("small"));

        cache.Store(key, TestAnswers.JsonHeaders, new byte[200]);

        Assert.Null(cache.Find(key));
        Assert.Equal(0, cache.Bytes);
    }

    [Fact]
    public void OverTheTotalLimit_TheOldestAnswersMakeRoom()
    {
        var cache = Memory(options => options with { MaxBytes = 3000, MaxEntryBytes = 1500 });
        var keys = Enumerable.Range(1, 4).Select(page => cache.KeyFor(TestAnswers.Token, $"/admin/api/services.json?page={page}", "")).ToList();

        foreach (var key in keys)
        {
            cache.Store(key, [], new byte[1000]);
            _time.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.Null(cache.Find(keys[0]));
        Assert.All(keys.Skip(1), key => Assert.NotNull(cache.Find(key)));
        Assert.Equal(3000, cache.Bytes);
    }

    [Fact]
    public void WithADirectory_AnotherInstanceFindsTheAnswer()
    {
        var first = OnDisk();
        first.Store(first.KeyFor(TestAnswers.Token, TestAnswers.Target, ""), TestAnswers.JsonHeaders, TestAnswers.Body("page 1"));

        var restarted = OnDisk();
        var found = restarted.Find(restarted.KeyFor(TestAnswers.Token, TestAnswers.Target, ""));

        Assert.NotNull(found);
        Assert.Equal(TestAnswers.Body("page 1"), found.Body);
        Assert.Equal(TestAnswers.JsonHeaders, found.Headers);
    }

    [Fact]
    public void OnDisk_FilesArePrivateAndNamedByNothingTheyHold()
    {
        var cache = OnDisk();
        cache.Store(cache.KeyFor(TestAnswers.Token, TestAnswers.Target, ""), TestAnswers.JsonHeaders, TestAnswers.Body("secret-body"));

        var entries = Path.Combine(_directory, DiskAnswerStore.SubdirectoryName);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(entries));
        var file = Assert.Single(Directory.GetFiles(entries));
        Assert.Matches("^[0-9a-f]{64}\\.entry$", Path.GetFileName(file));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        Assert.DoesNotContain("secret-body", File.ReadAllText(file));
    }

    [Fact]
    public void CorruptEntryOnDisk_IsIgnoredAndCounted()
    {
        var first = OnDisk();
        var key = first.KeyFor(TestAnswers.Token, TestAnswers.Target, "");
        first.Store(key, TestAnswers.JsonHeaders, TestAnswers.Body("page 1"));
        var file = Directory.GetFiles(Path.Combine(_directory, DiskAnswerStore.SubdirectoryName)).Single();
        File.WriteAllBytes(file, File.ReadAllBytes(file)[..40]);

        var restarted = OnDisk();

        Assert.Null(restarted.Find(key));
        Assert.Equal(1, restarted.UnreadableEntries);
    }

    [Fact]
    public void OnDisk_AnswerOlderThanMaxStale_IsNotServedAfterARestart()
    {
        var first = OnDisk();
        var key = first.KeyFor(TestAnswers.Token, TestAnswers.Target, "");
        first.Store(key, TestAnswers.JsonHeaders, TestAnswers.Body("page 1"));
        _time.Advance(TimeSpan.FromHours(25));

        Assert.Null(OnDisk().Find(key));
    }

    [Fact]
    public void Recording_IsClaimedByOneRequestAtATime()
    {
        var cache = Memory();
        var key = cache.KeyFor(TestAnswers.Token, TestAnswers.Target, "");

        Assert.True(cache.TryBeginRecording(key));
        Assert.False(cache.TryBeginRecording(key));
        cache.EndRecording(key);
        Assert.True(cache.TryBeginRecording(key));
    }

    [Fact]
    public void StaleAnswersServed_AreCountedWithTheirTime()
    {
        var cache = Memory();

        cache.StaleAnswerServed();
        cache.StaleAnswerServed();

        Assert.Equal(2, cache.StaleAnswersServed);
        Assert.Equal(_time.GetUtcNow(), cache.LastStaleAnswerAt);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private ConfigurationCache Memory(Func<ConfigCacheOptions, ConfigCacheOptions>? configure = null) =>
        new((configure ?? (o => o))(new ConfigCacheOptions()), _time);

    private ConfigurationCache OnDisk() => new(new ConfigCacheOptions { Directory = _directory }, _time);
}
