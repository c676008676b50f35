using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;

namespace ApicastSidecarProxy.FunctionalTests.Infrastructure;

/// <summary>
/// A Kestrel server on 127.0.0.1 (random port) imitating the 3scale portal and backend.
/// Routes match by path suffix, so an upstream URL with a path prefix works too:
/// <list type="bullet">
/// <item><c>GET …/admin/api/accounts.xml</c>: 403 application/xml "Access denied".</item>
/// <item><c>GET …/transactions/authorize.xml</c>: 403 provider_key_or_service_token_required (200 with either key).</item>
/// <item><c>…/echo</c>, <c>…/echo/…</c>: 200 JSON {method, path, pathBase, query, headers, bodyLength}.</item>
/// <item><c>POST …/upload</c>: 200 text "SHA256HEX LENGTH" of the streamed body.</item>
/// <item><c>GET …/download?bytes=N</c>: N bytes of <see cref="DeterministicStream"/>.</item>
/// <item><c>GET …/slow?ms=N</c>: 200 "slow" after N ms.</item>
/// <item><c>GET …/stall-body?sent=N</c>: 200 announcing 100 bytes; sends the headers and N bytes, then nothing.</item>
/// </list>
/// </summary>
public sealed class FakeThreescaleUpstream : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ReceivedRequest> _requests = new();
    private int _abortedCount;

    private FakeThreescaleUpstream(X509Certificate2? certificate)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole().SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = null;
            kestrel.Listen(IPAddress.Loopback, 0, listen =>
            {
                listen.Protocols = HttpProtocols.Http1AndHttp2;
                if (certificate is not null) listen.UseHttps(certificate);
            });
        });
        _app = builder.Build();
        _app.Use(RecordAsync);
        _app.Run(FakeThreescaleResponses.DispatchAsync);
    }

    /// <summary>Base address, e.g. https://localhost:41234 (or http:// when started without a certificate).</summary>
    public Uri BaseUri { get; private set; } = null!;

    /// <summary><c>localhost:PORT</c>, as it appears in a proxy's CONNECT line.</summary>
    public string HostPort => $"localhost:{BaseUri.Port}";

    public int RequestCount => _requests.Count;

    /// <summary>Requests whose handling was cut short because the client went away.</summary>
    public int AbortedRequestCount => Volatile.Read(ref _abortedCount);

    /// <summary>A snapshot of the received requests, in arrival order.</summary>
    public IReadOnlyList<ReceivedRequest> Requests => _requests.ToArray();

    public static Task<FakeThreescaleUpstream> StartHttpsAsync(X509Certificate2 certificate) => StartAsync(certificate);

    public static Task<FakeThreescaleUpstream> StartPlainHttpAsync() => StartAsync(null);

    /// <summary>Lowercase hex SHA-256 of what <c>GET /download?bytes=n</c> returns.</summary>
    public static string ExpectedDownloadSha256(long n) => DeterministicStream.Sha256Hex(n);

    /// <summary>An absolute URI on this server; <paramref name="pathAndQuery"/> starts with '/'.</summary>
    public Uri Url(string pathAndQuery) => new(BaseUri, pathAndQuery);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(TimeSpan.FromSeconds(5));
        await _app.DisposeAsync();
    }

    private static async Task<FakeThreescaleUpstream> StartAsync(X509Certificate2? certificate)
    {
        var upstream = new FakeThreescaleUpstream(certificate);
        await upstream._app.StartAsync();
        var address = upstream._app.Urls.Single();
        var scheme = certificate is null ? "http" : "https";
        upstream.BaseUri = new Uri($"{scheme}://localhost:{new Uri(address).Port}");
        return upstream;
    }

    private async Task RecordAsync(HttpContext context, RequestDelegate next)
    {
        var request = context.Request;
        var headers = request.Headers.ToDictionary(h => h.Key, h => h.Value.Select(v => v ?? "").ToArray(),
            StringComparer.OrdinalIgnoreCase);
        _requests.Enqueue(new ReceivedRequest(request.Method, request.Path.Value + request.QueryString.Value,
            request.Protocol, headers));
        try
        {
            await next(context);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            Interlocked.Increment(ref _abortedCount);
        }
    }
}
