using ApicastSidecarProxy.Failures;
using ApicastSidecarProxy.Forwarding;
using ApicastSidecarProxy.Management;
using Microsoft.Extensions.Time.Testing;

namespace ApicastSidecarProxy.Tests.Management;

public class ReadinessStateTests
{
    private static readonly ForwardingFailure ProxyDown =
        new(FailureCode.ProxyUnreachable, ForwardingFailure.ProxyHop, System.Net.HttpStatusCode.BadGateway, "refused");

    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-11-29T12:00:00Z"));

    [Fact]
    public void NotReady_UntilEveryRouteWasProbed()
    {
        var state = NewState();
        state.Report("portal", Healthy());

        Assert.False(state.IsReady);
        state.Report("backend", Healthy());
        Assert.True(state.IsReady);
    }

    [Fact]
    public void OneFailingRoute_MakesItNotReady()
    {
        var state = NewState();
        state.Report("portal", Healthy());
        state.Report("backend", new RouteHealth(_time.GetUtcNow(), null, ProxyDown));

        Assert.False(state.IsReady);
    }

    [Fact]
    public void StaleProbes_AreNotTrusted()
    {
        var state = NewState();
        state.Report("portal", Healthy());
        state.Report("backend", Healthy());

        _time.Advance(TimeSpan.FromSeconds(31));

        Assert.False(state.IsReady);
    }

    [Fact]
    public void Draining_IsNeverReady()
    {
        var state = NewState();
        state.Report("portal", Healthy());
        state.Report("backend", Healthy());

        state.StartDraining();

        Assert.False(state.IsReady);
    }

    [Fact]
    public void WithoutProbing_ReadyUnlessDraining()
    {
        var state = new ReadinessState(["portal", "backend"], probing: false, TimeSpan.FromSeconds(30), _time);

        Assert.True(state.IsReady);
        state.StartDraining();
        Assert.False(state.IsReady);
    }

    [Fact]
    public void AllProbed_CompletesWhenEveryRouteWasProbedOnce()
    {
        var state = NewState();
        state.Report("portal", Healthy());
        state.Report("portal", Healthy());

        Assert.False(state.AllProbed.IsCompleted);
        state.Report("backend", new RouteHealth(_time.GetUtcNow(), null, ProxyDown));
        Assert.True(state.AllProbed.IsCompletedSuccessfully);
    }

    [Fact]
    public void AllProbed_IsCompleted_WithoutProbing() =>
        Assert.True(new ReadinessState(["portal"], probing: false, TimeSpan.FromSeconds(30), _time).AllProbed.IsCompleted);

    private ReadinessState NewState() => new(["portal", "backend"], probing: true, TimeSpan.FromSeconds(30), _time);

    private RouteHealth Healthy() => new(_time.GetUtcNow(), 403, null);
}
