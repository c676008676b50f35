using System.Net;
using System.Text.Json;
using ApicastSidecarProxy.Configuration;
using ApicastSidecarProxy.Egress;
using ApicastSidecarProxy.Failures;
using ApicastSidecarProxy.Forwarding;
using ApicastSidecarProxy.Metrics;
using ApicastSidecarProxy.Metrics.Prometheus;
using ApicastSidecarProxy.Redaction;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Yarp.ReverseProxy.Forwarder;

namespace ApicastSidecarProxy.Tests.Forwarding;

/// <summary>ExchangeHandler in process, on a DefaultHttpContext, with a forwarder that plays the upstream's part.</summary>
public sealed class ExchangeHandlerTests : IDisposable
{
    private static readonly SidecarRoute Backend = new(new SidecarRouteOptions("backend", 0, new Uri("https://su1.3scale.net/"),
        UpstreamCredentials: null, SettingNames.BackendEndpoint));

    // What the outbound handler's failover records on the exchange's path before it sends.
    private static readonly ProxyChoice Proxy = new(new Uri("http://proxy.corp:3128/"));

    private const string ClientBody = "client body";
    private readonly SidecarMetrics _metrics = new();
    private readonly PrometheusExporter _exporter;
    private readonly AccessLogRecorder _log = new();

    public ExchangeHandlerTests() => _exporter = new PrometheusExporter(_metrics.Meter);

    [Fact]
    public async Task Answered_IsLoggedAndCounted_AsForwarded()
    {
        var context = Request();

        await Handler(new FakeForwarder(async c =>
        {
            c.Response.StatusCode = 403;
            await c.Response.Body.WriteAsync("denied"u8.ToArray());
            return ForwarderError.None;
        })).HandleAsync(context, Backend);

        Assert.Equal(403, context.Response.StatusCode);
        var (level, message) = Assert.Single(_log.Entries);
        Assert.Equal(LogLevel.Information, level);
        Assert.Contains("route=backend method=GET path=/transactions/authorize.xml?service_token=*** status=403", message);
        Assert.Contains("bytes_out=6 error=-", message);
        Assert.Contains("""apicast_sidecar_requests_total{route="backend",http_request_method="GET",http_response_status_code="403"} 1""", _exporter.Render());
    }

    [Fact]
    public async Task FailureBeforeTheResponse_IsTheErrorAnswer_NamingTheHop()
    {
        var context = Request();

        await Handler(Failing(ForwarderError.Request, new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused",
            new IOException("Connection refused")))).HandleAsync(context, Backend);

        Assert.Equal(502, context.Response.StatusCode);
        Assert.Equal("proxy_unreachable", context.Response.Headers["X-Sidecar-Error"]);
        var body = JsonDocument.Parse(((MemoryStream)context.Items[ClientBody]!).ToArray()).RootElement;
        Assert.Equal("proxy", body.GetProperty("hop").GetString());
        var (level, message) = Assert.Single(_log.Entries);
        Assert.Equal(LogLevel.Warning, level);
        Assert.Contains("status=502", message);
        Assert.Contains("error=proxy_unreachable", message);
        Assert.Contains("proxy=http://proxy.corp:3128 ", message);
        Assert.Contains("""error_type="proxy_unreachable"} 1""", _exporter.Render());
    }

    [Fact]
    public async Task FailureAfterTheResponseStarted_WritesNoErrorBody_ButLogsTheCode()
    {
        var context = Request(responseStarted: true);

        await Handler(new FakeForwarder(c =>
        {
            c.Response.StatusCode = 200;
            c.Features.Set<IForwarderErrorFeature>(new ErrorFeature(ForwarderError.ResponseBodyDestination, new IOException("reset")));
            return ValueTask.FromResult(ForwarderError.ResponseBodyDestination);
        })).HandleAsync(context, Backend);

        Assert.Equal(200, context.Response.StatusCode);
        Assert.False(context.Response.Headers.ContainsKey("X-Sidecar-Error"));
        Assert.Contains("error=upstream_response_aborted", Assert.Single(_log.Entries).Message);
    }

    [Fact]
    public async Task ClientGoneAway_Is499_InTheLogAndTheMetric()
    {
        using var aborted = new CancellationTokenSource();
        var context = Request();
        context.RequestAborted = aborted.Token;

        await Handler(new FakeForwarder(c =>
        {
            aborted.Cancel();
            c.Features.Set<IForwarderErrorFeature>(new ErrorFeature(ForwarderError.RequestCanceled, new OperationCanceledException()));
            return ValueTask.FromResult(ForwarderError.RequestCanceled);
        })).HandleAsync(context, Backend);

        var message = Assert.Single(_log.Entries).Message;
        Assert.Contains("status=499", message);
        Assert.Contains("error=client_aborted", message);
        Assert.Contains("""http_response_status_code="499",error_type="client_aborted"} 1""", _exporter.Render());
    }

    [Fact]
    public async Task Refusal_IsAnsweredWithoutForwarding()
    {
        var context = Request();
        var forwarder = new FakeForwarder(_ => throw new InvalidOperationException("must not forward"));

        await Handler(forwarder).HandleAsync(context, Backend, new ForwardingFailure(FailureCode.ForwardDenied, ForwardingFailure.ClientHop,
            HttpStatusCode.Forbidden, "not allowed"));

        Assert.Equal(403, context.Response.StatusCode);
        Assert.Equal("forward_denied", context.Response.Headers["X-Sidecar-Error"]);
    }

    [Fact]
    public async Task OverTheRoutesConcurrencyLimit_WaitsItsTurn_ThenGoes_AndLeavesIt()
    {
        var limit = new AdaptiveConcurrencyLimit(ceiling: 10, floor: 1);
        var route = new SidecarRoute(Backend.Options, concurrencyLimit: limit);
        await limit.EnterAsync(Timeout.InfiniteTimeSpan, CancellationToken.None); // another exchange in flight
        var forwarded = 0;
        var handler = Handler(new FakeForwarder(c =>
        {
            forwarded++;
            Assert.Equal(1, limit.InFlight);
            return ValueTask.FromResult(ForwarderError.None);
        }));

        var exchange = handler.HandleAsync(Request(), route);
        Assert.Equal((0, 1), (forwarded, limit.Waiting));
        limit.Exit(TimeSpan.FromMilliseconds(5));
        await exchange;

        Assert.Equal((1, 0, 0), (forwarded, limit.InFlight, limit.Waiting));
    }

    [Fact]
    public async Task NoTurnWithinTheUpstreamTimeout_IsUpstreamTimeout_NamingTheLimit()
    {
        var time = new FakeTimeProvider();
        var limit = new AdaptiveConcurrencyLimit(ceiling: 10, floor: 1, time);
        var route = new SidecarRoute(Backend.Options, concurrencyLimit: limit);
        await limit.EnterAsync(Timeout.InfiniteTimeSpan, CancellationToken.None);
        var context = Request();
        var handler = new ExchangeHandler(new FakeForwarder(_ => throw new InvalidOperationException("must not forward")),
            new HttpMessageInvoker(new SocketsHttpHandler()), new ForwarderRequestConfig { ActivityTimeout = TimeSpan.FromSeconds(30) },
            new SecretScrubber([]), _metrics, _log);

        var exchange = handler.HandleAsync(context, route);
        time.Advance(TimeSpan.FromSeconds(30));
        await exchange;

        Assert.Equal(504, context.Response.StatusCode);
        Assert.Equal("upstream_timeout", context.Response.Headers["X-Sidecar-Error"]);
        var body = JsonDocument.Parse(((MemoryStream)context.Items[ClientBody]!).ToArray()).RootElement;
        Assert.Equal("upstream", body.GetProperty("hop").GetString());
        Assert.Contains("UPSTREAM_TIMEOUT (the route's concurrency limit: 1 requests at once)", body.GetProperty("message").GetString());
        Assert.Equal((1, 0), (limit.InFlight, limit.Waiting));
    }

    [Fact]
    public async Task ClientGoneWhileWaitingItsTurn_Is499_AndHoldsNoTurn()
    {
        var limit = new AdaptiveConcurrencyLimit(ceiling: 10, floor: 1);
        var route = new SidecarRoute(Backend.Options, concurrencyLimit: limit);
        await limit.EnterAsync(Timeout.InfiniteTimeSpan, CancellationToken.None);
        using var aborted = new CancellationTokenSource();
        var context = Request();
        context.RequestAborted = aborted.Token;

        var exchange = Handler(new FakeForwarder(_ => throw new InvalidOperationException("must not forward"))).HandleAsync(context, route);
        await aborted.CancelAsync();
        await exchange;

        Assert.Contains("status=499", Assert.Single(_log.Entries).Message);
        Assert.Equal((1, 0), (limit.InFlight, limit.Waiting));
    }

    public void Dispose()
    {
        _exporter.Dispose();
        _metrics.Dispose();
    }

    private ExchangeHandler Handler(IHttpForwarder forwarder) => new(forwarder, new HttpMessageInvoker(new SocketsHttpHandler()),
        ForwarderRequestConfig.Empty, new SecretScrubber([]), _metrics, _log);

    private static FakeForwarder Failing(ForwarderError error, Exception exception) => new(c =>
    {
        c.Response.StatusCode = 502; // as YARP leaves it
        c.Features.Set<IForwarderErrorFeature>(new ErrorFeature(error, exception));
        return ValueTask.FromResult(error);
    });

    private static DefaultHttpContext Request(bool responseStarted = false)
    {
        var context = new DefaultHttpContext();
        if (responseStarted)
        {
            context.Features.Set<IHttpResponseFeature>(new StartedResponse());
        }

        context.Request.Method = "GET";
        context.Request.Path = "/transactions/authorize.xml";
        context.Request.QueryString = new QueryString("?service_token=s3cret");
        context.Features.Get<IHttpRequestFeature>()!.RawTarget = "/transactions/authorize.xml?service_token=s3cret";
        context.Response.Body = new MemoryStream();
        context.Items[ClientBody] = context.Response.Body; // what the client receives, under the handler's counting stream
        return context;
    }

    private sealed class FakeForwarder(Func<HttpContext, ValueTask<ForwarderError>> answer) : IHttpForwarder
    {
        public ValueTask<ForwarderError> SendAsync(HttpContext context, string destinationPrefix, HttpMessageInvoker httpClient,
            ForwarderRequestConfig requestConfig, HttpTransformer transformer)
        {
            OutboundPath.Current!.Use(Proxy);
            return answer(context);
        }
    }

    private sealed record ErrorFeature(ForwarderError Error, Exception? Exception) : IForwarderErrorFeature;

    private sealed class StartedResponse : HttpResponseFeature
    {
        public StartedResponse() => Body = new MemoryStream();

        public override bool HasStarted => true;
    }

    /// <summary>The access log's lines as the formatter renders them.</summary>
    private sealed class AccessLogRecorder : ILogger
    {
        public List<(LogLevel Level, string Message)> Entries { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception,
            Func<TState, Exception?, string> formatter) => Entries.Add((logLevel, formatter(state, exception)));
    }
}
