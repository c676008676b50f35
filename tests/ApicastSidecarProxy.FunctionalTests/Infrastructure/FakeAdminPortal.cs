using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;

namespace ApicastSidecarProxy.FunctionalTests.Infrastructure;

/// <summary>
/// A TLS server on 127.0.0.1 imitating the 3scale admin portal's configuration API as APIcast's remote_v2 loader uses
/// it, matched by path suffix (so an endpoint with a path prefix works too):
/// <list type="bullet">
/// <item><c>GET …/admin/api/account/proxy_configs/ENV.json?…</c>: one page of proxy configurations.</item>
/// <item><c>GET …/admin/api/services.json?…</c>: the services.</item>
/// <item><c>GET …/admin/api/services/ID/proxy/configs/ENV/VERSION.json</c>: one service's configuration.</item>
/// <item><c>GET …/ENV.json?…</c>: the whole configuration (an endpoint with a path, e.g. a master account).</item>
/// </list>
/// Every answer needs <c>Authorization: Basic base64(TOKEN:)</c> with a token in <see cref="Tokens"/> (else 403), and
/// its JSON body names the path, the query, the token's index and <see cref="Generation"/>, so a test can tell which
/// answer it got. <see cref="OutageStatus"/> makes every answer that status.
/// </summary>
public sealed class FakeAdminPortal : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<string> _requests = new();

    private FakeAdminPortal(TestCertificateAuthority ca)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen =>
        {
            listen.Protocols = HttpProtocols.Http1;
            listen.UseHttps(ca.ServerCertificate);
        }));
        _app = builder.Build();
        _app.Run(AnswerAsync);
    }

    /// <summary>Accepted access tokens; remove one to revoke it (the portal then answers 403).</summary>
    public ConcurrentDictionary<string, int> Tokens { get; } = new();

    /// <summary>Changes what every body says, as a configuration change on the portal would.</summary>
    public int Generation { get; set; } = 1;

    /// <summary>When set, every request is answered with this status (e.g. 503 during a portal outage).</summary>
    public int? OutageStatus { get; set; }

    public Uri BaseUri { get; private set; } = null!;

    /// <summary>Path and query of each request received, in arrival order.</summary>
    public IReadOnlyList<string> Requests => _requests.ToArray();

    public static async Task<FakeAdminPortal> StartAsync(TestCertificateAuthority ca, params string[] tokens)
    {
        var portal = new FakeAdminPortal(ca);
        for (var i = 0; i < tokens.Length; i++) portal.Tokens[tokens[i]] = i + 1;
        await portal._app.StartAsync();
        portal.BaseUri = new Uri($"https://localhost:{new Uri(portal._app.Urls.Single()).Port}");
        return portal;
    }

    /// <summary>The Authorization value APIcast sends for <paramref name="token"/> (its endpoint's userinfo).</summary>
    public static string Authorization(string token) => "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(token + ":"));

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(TimeSpan.FromSeconds(5));
        await _app.DisposeAsync();
    }

    private Task AnswerAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "";
        var query = context.Request.QueryString.Value ?? "";
        _requests.Enqueue(path + query);
        if (OutageStatus is { } outage)
        {
            return WriteAsync(context, outage, "text/html", "<html><body>Service Unavailable</body></html>");
        }

        if (TokenIndex(context.Request.Headers.Authorization.ToString()) is not { } tokenIndex)
        {
            return WriteAsync(context, 403, "application/json", """{"error":"Access denied"}""");
        }

        if (context.Request.Method != "GET" || !path.EndsWith(".json", StringComparison.Ordinal))
        {
            return WriteAsync(context, 404, "application/json", """{"status":"Not found"}""");
        }

        // Bulk like a real page of mapping rules, so an answer spans many writes.
        var padding = string.Concat(Enumerable.Range(0, 400).Select(i => $"{{\"pattern\":\"/rule/{i}\",\"metric_system_name\":\"hits\"}},"));
        var body = $$"""{"path":"{{path}}","query":"{{query}}","token":{{tokenIndex}},"generation":{{Generation}},"mapping_rules":[{{padding}}{}]}""";
        return WriteAsync(context, 200, "application/json; charset=utf-8", body);
    }

    private int? TokenIndex(string authorization)
    {
        const string prefix = "Basic ";
        if (!authorization.StartsWith(prefix, StringComparison.Ordinal)) return null;
        try
        {
            var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(authorization[prefix.Length..]));
            return decoded.EndsWith(':') && Tokens.TryGetValue(decoded[..^1], out var index) ? index : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static Task WriteAsync(HttpContext context, int status, string contentType, string body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = contentType;
        return context.Response.WriteAsync(body, context.RequestAborted);
    }
}
