using System.Net;
using ApicastSidecarProxy.Caching;
using ApicastSidecarProxy.Configuration;
using ApicastSidecarProxy.Forwarding;
using ApicastSidecarProxy.Tests.Caching;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Time.Testing;

namespace ApicastSidecarProxy.Tests.Forwarding;

/// <summary>The cache's part of a portal exchange, in process on a DefaultHttpContext.</summary>
public class ConfigurationCacheExchangeTests
{
    private static readonly ForwardingFailure ProxyDown = new("proxy_unreachable", ForwardingFailure.ProxyHop,
        HttpStatusCode.BadGateway, "cannot connect to the proxy");

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 6, 12, 0, 0, TimeSpan.Zero));
    private readonly ConfigurationCache _cache;

    public ConfigurationCacheExchangeTests() => _cache = new ConfigurationCache(new ConfigCacheOptions(), _time);

    [Theory]
    [InlineData("POST", TestAnswers.Token, null)]
    [InlineData("HEAD", TestAnswers.Token, null)]
    [InlineData("GET", null, null)]
    public void OnlyGetsWithCredentials_AreCached(string method, string? authorization, string? routeAuthorization)
    {
        var context = Request(method, authorization);

        Assert.Null(ConfigurationCacheExchange.Begin(context, _cache, routeAuthorization));
    }

    [Fact]
    public async Task Complete200_IsStored_UnderTheRoutesCredentialsWhenTheClientSentNone()
    {
        var context = Request("GET", authorization: null);
        var exchange = ConfigurationCacheExchange.Begin(context, _cache, TestAnswers.Token)!;

        await AnswerAsync(context, 200, "page one");

        Assert.Null(await exchange.CompleteAsync(context, failure: null));
        Assert.Equal(TestAnswers.Body("page one"), _cache.Find(_cache.KeyFor(TestAnswers.Token, TestAnswers.Target, ""))!.Body);
    }

    [Fact]
    public async Task ProxyFailure_WithAStoredAnswer_ServesItStale()
    {
        await StoreAsync("page one");
        _time.Advance(TimeSpan.FromSeconds(42));
        var context = Request("GET", TestAnswers.Token);
        var exchange = ConfigurationCacheExchange.Begin(context, _cache, null)!;

        var hidden = await exchange.CompleteAsync(context, ProxyDown);

        Assert.NotNull(hidden);
        Assert.Equal("proxy_unreachable", hidden.Code);
        Assert.StartsWith("served the answer stored 42 s ago (X-Sidecar-Cache: stale) instead of failing: cannot connect", hidden.Message);
        Assert.Equal(200, context.Response.StatusCode);
        Assert.Equal("stale", context.Response.Headers["X-Sidecar-Cache"]);
        Assert.Equal("proxy_unreachable", context.Response.Headers["X-Sidecar-Error"]);
        Assert.Equal("42", context.Response.Headers.Age);
        Assert.Equal("application/json; charset=utf-8", context.Response.ContentType);
        Assert.Equal(TestAnswers.Body("page one"), ((MemoryStream)context.Response.Body).ToArray());
        Assert.Equal(1, _cache.StaleAnswersServed);
    }

    [Fact]
    public async Task ClientFailure_IsNeverHidden()
    {
        await StoreAsync("page one");
        var context = Request("GET", TestAnswers.Token);
        var exchange = ConfigurationCacheExchange.Begin(context, _cache, null)!;

        var hidden = await exchange.CompleteAsync(context, new ForwardingFailure("bad_request_body", ForwardingFailure.ClientHop,
            HttpStatusCode.BadRequest, "malformed"));

        Assert.Null(hidden);
        Assert.Equal(0, ((MemoryStream)context.Response.Body).Length);
    }

    [Fact]
    public async Task ProxyFailure_WithoutAStoredAnswer_IsLeftToTheErrorAnswer()
    {
        var context = Request("GET", TestAnswers.Token);
        var exchange = ConfigurationCacheExchange.Begin(context, _cache, null)!;

        Assert.Null(await exchange.CompleteAsync(context, ProxyDown));
        Assert.Equal(0, _cache.StaleAnswersServed);
    }

    [Theory]
    [InlineData(HttpStatusCode.BadGateway, true)]
    [InlineData(HttpStatusCode.ServiceUnavailable, true)]
    [InlineData(HttpStatusCode.GatewayTimeout, true)]
    [InlineData(HttpStatusCode.InternalServerError, false)]
    [InlineData(HttpStatusCode.Forbidden, false)]
    public async Task PortalStatus_StoredAnswerStandsInOnlyFor502To504(HttpStatusCode status, bool standsIn)
    {
        await StoreAsync("page one");
        var context = Request("GET", TestAnswers.Token);
        var exchange = ConfigurationCacheExchange.Begin(context, _cache, null)!;

        Assert.Equal(standsIn, exchange.StandsInFor(status));
        if (standsIn)
        {
            var hidden = await exchange.CompleteAsync(context, failure: null);
            Assert.Equal("upstream_unavailable", hidden!.Code);
            Assert.Equal("stale", context.Response.Headers["X-Sidecar-Cache"]);
        }
    }

    [Fact]
    public async Task PortalAnswer4xx_DropsTheStoredAnswer()
    {
        await StoreAsync("page one");
        var context = Request("GET", TestAnswers.Token);
        var exchange = ConfigurationCacheExchange.Begin(context, _cache, null)!;

        await AnswerAsync(context, 403, "Access denied");
        Assert.Null(await exchange.CompleteAsync(context, failure: null));

        Assert.Null(_cache.Find(_cache.KeyFor(TestAnswers.Token, TestAnswers.Target, "")));
    }

    private async Task StoreAsync(string body)
    {
        var context = Request("GET", TestAnswers.Token);
        var exchange = ConfigurationCacheExchange.Begin(context, _cache, null)!;
        await AnswerAsync(context, 200, body);
        await exchange.CompleteAsync(context, failure: null);
    }

    private static DefaultHttpContext Request(string method, string? authorization)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        context.Features.Get<IHttpRequestFeature>()!.RawTarget = TestAnswers.Target;
        if (authorization is not null)
        {
            context.Request.Headers.Authorization = authorization;
        }

        context.Response.Body = new MemoryStream();
        return context;
    }

    // What YARP does with the portal's answer: status and headers, then the body through Response.Body.
    private static async Task AnswerAsync(HttpContext context, int status, string body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.Body.WriteAsync(TestAnswers.Body(body));
    }
}
