using ApicastSidecarProxy.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace ApicastSidecarProxy.Tests.Hosting;

public class IdleMemoryTrimmerTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private readonly FakeTimeProvider _time = new();
    private readonly SemaphoreSlim _releases = new(0);
    private readonly SemaphoreSlim _ticks = new(0);
    private long _allocated;
    private int _released;
    private int _startupCodeReleased;

    [Fact]
    public async Task Releases_OnceStartUpWorkIsDone()
    {
        var startup = new TaskCompletionSource();
        using var trimmer = NewTrimmer(startup.Task);
        // ExecuteAsync runs up to its first await inside StartAsync: a release before the start-up wait would be counted here.
        await trimmer.StartAsync(CancellationToken.None);
        Assert.Equal(0, _released);

        startup.SetResult();

        Assert.True(await _releases.WaitAsync(Wait));
        await trimmer.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task ReleasesTheStartUpCode_OnceAfterStartUp_NotAfterTraffic()
    {
        var startup = new TaskCompletionSource();
        using var trimmer = NewTrimmer(startup.Task);
        await trimmer.StartAsync(CancellationToken.None);
        Assert.Equal(0, _startupCodeReleased);

        startup.SetResult();
        Assert.True(await _releases.WaitAsync(Wait));
        await _ticks.WaitAsync(Wait); // the first reading comes after both releases
        Assert.Equal(1, _startupCodeReleased);

        await Tick(allocate: 50 << 20);
        await Tick(allocate: 4096);
        Assert.True(await _releases.WaitAsync(Wait));
        Assert.Equal(1, _startupCodeReleased);
        await trimmer.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task ReleasesAgain_WhenTrafficStops_NeverDuringIt()
    {
        using var trimmer = NewTrimmer(Task.CompletedTask);
        await trimmer.StartAsync(CancellationToken.None);
        Assert.True(await _releases.WaitAsync(Wait));
        await _ticks.WaitAsync(Wait); // the trimmer's first reading, before its timer starts

        for (var i = 0; i < 3; i++)
        {
            await Tick(allocate: 50 << 20);
        }

        Assert.Equal(1, _released);
        await Tick(allocate: 4096);
        Assert.True(await _releases.WaitAsync(Wait));
        await _ticks.WaitAsync(Wait); // the reading after the release
        await Tick(allocate: 4096);
        Assert.Equal(2, _released);
        await trimmer.StopAsync(CancellationToken.None);
    }

    private async Task Tick(long allocate)
    {
        Interlocked.Add(ref _allocated, allocate);
        _time.Advance(Interval);
        Assert.True(await _ticks.WaitAsync(Wait));
    }

    private IdleMemoryTrimmer NewTrimmer(Task startup) => new(startup, Interval, _time,
        () =>
        {
            _ticks.Release();
            return Interlocked.Read(ref _allocated);
        },
        () =>
        {
            Interlocked.Increment(ref _released);
            _releases.Release();
        },
        () => Interlocked.Increment(ref _startupCodeReleased));
}
