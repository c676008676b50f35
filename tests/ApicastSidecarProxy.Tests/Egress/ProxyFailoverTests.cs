using System.Net.Sockets;
using ApicastSidecarProxy.Egress;
using ApicastSidecarProxy.Metrics;
using ApicastSidecarProxy.Metrics.Prometheus;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace ApicastSidecarProxy.Tests.Egress;

public sealed class ProxyFailoverTests : IDisposable
{
    private static readonly Uri Destination = new("https://su1.3scale.net/");
    private static readonly ProxyChoice A = new(new Uri("http://proxy-a:3128/"));
    private static readonly ProxyChoice B = new(new Uri("http://proxy-b:3128/"));

    private readonly FakeTimeProvider _time = new();
    private readonly SidecarMetrics _metrics = new();
    private readonly FailedProxies _failed;

    public ProxyFailoverTests() => _failed = new FailedProxies(TimeSpan.FromSeconds(30), _time);

    public void Dispose() => _metrics.Dispose();

    [Fact]
    public async Task AnEntryThatCannotBeConnectedTo_IsSkipped_AndTheNextTriedInTheSameRequest()
    {
        var tried = new List<ProxyChoice>();
        var path = new OutboundPath();

        var answer = await Failover(A, B).RunAsync(Destination, path, choice =>
        {
            tried.Add(choice);
            return choice == A ? throw Refused() : Task.FromResult("answer via B");
        }, CancellationToken.None);

        Assert.Equal("answer via B", answer);
        Assert.Equal([A, B], tried);
        Assert.Equal(B.Proxy, path.Proxy);
        Assert.Contains("http://proxy-a:3128 (Connection refused)", path.FailedBefore);
        Assert.True(_failed.IsSkipped(A));
    }

    [Fact]
    public async Task ASkippedEntry_IsNotTried_UntilRetryAfterHasPassed()
    {
        _failed.MarkFailed(A);
        var failover = Failover(A, B);

        Assert.Equal(B, await failover.RunAsync(Destination, new OutboundPath(), Task.FromResult, CancellationToken.None));
        _time.Advance(TimeSpan.FromSeconds(31));
        Assert.Equal(A, await failover.RunAsync(Destination, new OutboundPath(), Task.FromResult, CancellationToken.None));
    }

    [Fact]
    public async Task WhenEveryEntryIsSkipped_TheFirstIsTriedAnyway_AndItsFailureIsTheRequests()
    {
        _failed.MarkFailed(A);
        _failed.MarkFailed(B);
        var tried = new List<ProxyChoice>();

        await Assert.ThrowsAsync<OutboundConnectException>(() => Failover(A, B).RunAsync<string>(Destination, new OutboundPath(),
            choice =>
            {
                tried.Add(choice);
                throw Refused();
            }, CancellationToken.None));

        Assert.Equal([A], tried);
    }

    [Fact]
    public async Task AConnectTimeout_FailsOverToo()
    {
        var answer = await Failover(A, B).RunAsync(Destination, new OutboundPath(),
            choice => choice == A ? throw new TaskCanceledException("timed out", new TimeoutException()) : Task.FromResult("B"),
            CancellationToken.None);

        Assert.Equal("B", answer);
    }

    [Fact]
    public async Task ARejectionOfTheCredentials_OrAnyFailureAfterConnecting_IsNotFailedOver()
    {
        var tried = new List<ProxyChoice>();

        await Assert.ThrowsAsync<HttpRequestException>(() => Failover(A, B).RunAsync<string>(Destination, new OutboundPath(), choice =>
        {
            tried.Add(choice);
            throw new HttpRequestException(HttpRequestError.ProxyTunnelError, "failed with status code '407'.");
        }, CancellationToken.None));

        Assert.Equal([A], tried);
        Assert.False(_failed.IsSkipped(A));
    }

    [Fact]
    public async Task ACancelledRequest_IsNotFailedOver()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        await Assert.ThrowsAsync<OutboundConnectException>(() => Failover(A, B).RunAsync<string>(Destination, new OutboundPath(),
            _ => throw Refused(), cancelled.Token));
    }

    [Fact]
    public async Task DirectIsTriedOnlyWhereTheListHasIt_AndNeverSkipped()
    {
        var tried = new List<ProxyChoice>();

        await Assert.ThrowsAsync<OutboundConnectException>(() => Failover(A, ProxyChoice.Direct).RunAsync<string>(Destination,
            new OutboundPath(), choice =>
            {
                tried.Add(choice);
                throw Refused();
            }, CancellationToken.None));

        Assert.Equal([A, ProxyChoice.Direct], tried);
        Assert.False(_failed.IsSkipped(ProxyChoice.Direct));
    }

    [Fact]
    public async Task AttemptsAndFailures_AreCountedPerEntry()
    {
        using var exporter = new PrometheusExporter(_metrics.Meter);

        await Failover(A, B).RunAsync(Destination, new OutboundPath(), choice => choice == A ? throw Refused() : Task.FromResult(1),
            CancellationToken.None);

        var text = exporter.Render();
        Assert.Contains("""apicast_sidecar_proxy_connection_attempts_total{proxy="http://proxy-a:3128"} 1""", text);
        Assert.Contains("""apicast_sidecar_proxy_connection_failures_total{proxy="http://proxy-a:3128"} 1""", text);
        Assert.Contains("""apicast_sidecar_proxy_connection_attempts_total{proxy="http://proxy-b:3128"} 1""", text);
        Assert.DoesNotContain("""apicast_sidecar_proxy_connection_failures_total{proxy="http://proxy-b:3128"}""", text);
    }

    [Fact]
    public async Task ASelectionFailure_ReachesTheCaller_AndNothingIsTried()
    {
        var failover = new ProxyFailover(new ThrowingSelector(), _failed, _metrics, NullLogger.Instance);
        var tried = false;

        await Assert.ThrowsAsync<ProxySelectionException>(() => failover.RunAsync(Destination, new OutboundPath(), _ =>
        {
            tried = true;
            return Task.FromResult(1);
        }, CancellationToken.None));

        Assert.False(tried);
    }

    private ProxyFailover Failover(params ProxyChoice[] list) =>
        new(new FixedList(list), _failed, _metrics, NullLogger.Instance);

    private static OutboundConnectException Refused() => new(new SocketException((int)SocketError.ConnectionRefused));

    private sealed class FixedList(IReadOnlyList<ProxyChoice> list) : IProxySelector
    {
        public IReadOnlyList<ProxyChoice> Select(Uri destination) => list;
    }

    private sealed class ThrowingSelector : IProxySelector
    {
        public IReadOnlyList<ProxyChoice> Select(Uri destination) => throw new ProxySelectionException("the PAC script threw: boom");
    }
}
