using ApicastSidecarProxy.Hosting;

namespace ApicastSidecarProxy.Tests.Hosting;

public class QuietPeriodsTests
{
    private const long Quiet = 1 << 20;

    [Fact]
    public void AQuietInterval_AfterTraffic_BeginsAQuietPeriod()
    {
        var periods = new QuietPeriods(Quiet, allocatedSoFar: 0);

        Assert.False(periods.BeganNow(50 << 20));
        Assert.True(periods.BeganNow((50 << 20) + 4096));
    }

    [Fact]
    public void AQuietPeriod_BeginsOnce()
    {
        var periods = new QuietPeriods(Quiet, allocatedSoFar: 0);
        periods.BeganNow(50 << 20);

        Assert.True(periods.BeganNow(50 << 20));
        Assert.False(periods.BeganNow(50 << 20));
        Assert.False(periods.BeganNow((50 << 20) + 4096));
    }

    [Fact]
    public void TheFirstIntervals_AreNotNew_WhenNothingHappened()
    {
        var periods = new QuietPeriods(Quiet, allocatedSoFar: 100);

        Assert.False(periods.BeganNow(200));
    }

    [Fact]
    public void UnderSteadyTraffic_NoQuietPeriodBegins()
    {
        var periods = new QuietPeriods(Quiet, allocatedSoFar: 0);

        Assert.All(Enumerable.Range(1, 10), i => Assert.False(periods.BeganNow(i * (8L << 20))));
    }

    [Fact]
    public void ExcludedAllocations_DoNotEndTheQuietPeriod()
    {
        var periods = new QuietPeriods(Quiet, allocatedSoFar: 0);
        periods.BeganNow(50 << 20);
        Assert.True(periods.BeganNow(50 << 20));
        periods.Exclude(60 << 20);

        Assert.False(periods.BeganNow(60 << 20));
    }
}
