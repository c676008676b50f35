using Microsoft.Extensions.Hosting;

namespace ApicastSidecarProxy.Hosting;

/// <summary>
/// Releases memory (<see cref="ProcessMemory.Release"/>) once start-up work is done (every route's first readiness
/// probe, with its TLS handshake), and again whenever the sidecar goes quiet after traffic (<see cref="QuietPeriods"/>),
/// so an idle sidecar does not keep what it last needed. Never under traffic. Once, after start-up, it also drops the
/// executable's pages (<see cref="ExecutablePages.Release"/>): start-up's code never runs again, whereas
/// the code traffic ran would be read back in by the next request after every quiet period.
/// </summary>
public sealed class IdleMemoryTrimmer(Task startupWork, TimeSpan interval, TimeProvider time, Func<long> allocatedBytes,
    Action release, Action releaseStartupCode) : BackgroundService
{
    /// <summary>
    /// Less than this allocated in one interval is quiet: an idle interval's readiness probes (about 20 KB a round) and
    /// Prometheus scrapes (100-150 KB each) stay well under it; a few requests a second go over it.
    /// </summary>
    public const long QuietAllocation = 4 << 20;

    /// <summary>
    /// Longer than the outbound pool takes to close an idle connection (its 50 s idle timeout, Egress/
    /// OutboundHandlerFactory.cs, plus a quarter of it, the pool's cleaning period): the first quiet interval after
    /// traffic ends after the pooled connections have closed, so their memory (OpenSSL's above all) goes with the rest.
    /// </summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(75);

    public IdleMemoryTrimmer(Task startupWork)
        : this(startupWork, DefaultInterval, TimeProvider.System, () => GC.GetTotalAllocatedBytes(), ProcessMemory.Release,
            ExecutablePages.Release)
    {
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await startupWork.WaitAsync(stoppingToken);
            release();
            releaseStartupCode();
            using var timer = new PeriodicTimer(interval, time);
            var periods = new QuietPeriods(QuietAllocation, allocatedBytes());
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                if (periods.BeganNow(allocatedBytes()))
                {
                    release();
                    periods.Exclude(allocatedBytes());
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
