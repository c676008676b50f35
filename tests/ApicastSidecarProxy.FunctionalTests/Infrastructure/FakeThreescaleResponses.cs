using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace ApicastSidecarProxy.FunctionalTests.Infrastructure;

/// <summary>The route handlers of <see cref="FakeThreescaleUpstream"/>. Paths are matched by suffix.</summary>
internal static class FakeThreescaleResponses
{
    public const string AccessDeniedXml = """<?xml version="1.0" encoding="UTF-8"?><error>Access denied</error>""";

    public const string ProviderKeyRequiredXml =
        """<?xml version="1.0" encoding="UTF-8"?><error code="provider_key_or_service_token_required">provider key or service token required</error>""";

    public const string AuthorizedXml =
        """<?xml version="1.0" encoding="UTF-8"?><status><authorized>true</authorized><plan>Basic</plan></status>""";

    public const string BackendContentType = "application/vnd.3scale-v2.0+xml";

    public static Task DispatchAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "";
        var method = context.Request.Method;
        if (IsEcho(path)) return EchoAsync(context, path);
        if (method == "GET" && path.EndsWith("/admin/api/accounts.xml", StringComparison.Ordinal)) return AccountsAsync(context);
        if (method == "GET" && path.EndsWith("/transactions/authorize.xml", StringComparison.Ordinal)) return AuthorizeAsync(context);
        if (method == "POST" && path.EndsWith("/upload", StringComparison.Ordinal)) return UploadAsync(context);
        if (method == "GET" && path.EndsWith("/download", StringComparison.Ordinal)) return DownloadAsync(context);
        if (method == "GET" && path.EndsWith("/slow", StringComparison.Ordinal)) return SlowAsync(context);
        if (path.EndsWith("/abort", StringComparison.Ordinal)) return AbortAsync(context);
        if (method == "POST" && path.EndsWith("/flaky/transactions.xml", StringComparison.Ordinal)) return FlakyReportAsync(context);
        if (method == "GET" && path.EndsWith("/reset-mid-response", StringComparison.Ordinal)) return ResetMidResponseAsync(context);
        if (method == "GET" && path.EndsWith("/stall-body", StringComparison.Ordinal)) return StallBodyAsync(context);
        if (method == "POST" && path.EndsWith("/reset-mid-request-body", StringComparison.Ordinal)) return ResetMidRequestBodyAsync(context);
        if (method == "GET" && path.EndsWith("/.well-known/openid-configuration", StringComparison.Ordinal)) return OpenIdConfigurationAsync(context);
        if (method == "GET" && path.EndsWith("/protocol/openid-connect/certs", StringComparison.Ordinal))
            return WriteAsync(context, 200, "application/json", JsonWebKeySet);
        return WriteAsync(context, 404, "text/plain", $"fake 3scale upstream: no route for {method} {path}");
    }

    public const string JsonWebKeySet = """{"keys":[{"kid":"fake-issuer-key","kty":"RSA","alg":"RS256","use":"sig","n":"0vx7agoebGcQSuuPiLJXZpt","e":"AQAB"}]}""";

    // An OpenID Connect issuer as APIcast discovers it: the issuer is this server, its keys under the same path prefix.
    private static Task OpenIdConfigurationAsync(HttpContext context)
    {
        var issuer = $"{context.Request.Scheme}://{context.Request.Host}{context.Request.Path.Value![..^"/.well-known/openid-configuration".Length]}";
        return WriteAsync(context, 200, "application/json",
            $$"""{"issuer":"{{issuer}}","jwks_uri":"{{issuer}}/protocol/openid-connect/certs","id_token_signing_alg_values_supported":["RS256"]}""");
    }

    private static bool IsEcho(string path) =>
        path.EndsWith("/echo", StringComparison.Ordinal) || path.Contains("/echo/", StringComparison.Ordinal);

    private static Task AccountsAsync(HttpContext context) =>
        WriteAsync(context, 403, "application/xml", AccessDeniedXml);

    private static Task AuthorizeAsync(HttpContext context)
    {
        var query = context.Request.Query;
        if (query.ContainsKey("provider_key") || query.ContainsKey("service_token"))
            return WriteAsync(context, 200, BackendContentType, AuthorizedXml);

        var headers = context.Response.Headers;
        headers["3scale-rejection-reason"] = "provider_key_or_service_token_required";
        headers["3scale-limit-remaining"] = "0";
        headers["3scale-limit-reset"] = "60";
        return WriteAsync(context, 403, BackendContentType, ProviderKeyRequiredXml);
    }

    private static async Task EchoAsync(HttpContext context, string path)
    {
        var bodyLength = await CountBodyAsync(context.Request.Body, hash: null, context.RequestAborted);
        context.Response.ContentType = "application/json";
        await using var json = new Utf8JsonWriter(context.Response.Body);
        json.WriteStartObject();
        json.WriteString("method", context.Request.Method);
        json.WriteString("path", path);
        json.WriteString("pathBase", path[..path.IndexOf("/echo", StringComparison.Ordinal)]);
        json.WriteString("query", context.Request.QueryString.Value ?? "");
        json.WriteString("rawTarget", context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? "");
        json.WriteStartObject("headers");
        foreach (var (name, values) in context.Request.Headers)
        {
            json.WriteStartArray(name);
            foreach (var value in values) json.WriteStringValue(value);
            json.WriteEndArray();
        }
        json.WriteEndObject();
        json.WriteNumber("bodyLength", bodyLength);
        json.WriteEndObject();
    }

    private static async Task UploadAsync(HttpContext context)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var length = await CountBodyAsync(context.Request.Body, hash, context.RequestAborted);
        await WriteAsync(context, 200, "text/plain", $"{Convert.ToHexStringLower(hash.GetHashAndReset())} {length}");
    }

    private static async Task DownloadAsync(HttpContext context)
    {
        var bytes = long.TryParse(context.Request.Query["bytes"], out var n) && n >= 0 ? n : 0;
        context.Response.ContentType = "application/octet-stream";
        context.Response.ContentLength = bytes;
        await using var source = new DeterministicStream(bytes);
        await source.CopyToAsync(context.Response.Body, 64 * 1024, context.RequestAborted);
    }

    /// <summary>Closes the connection without any answer, as a crashing upstream would after reading the request.</summary>
    private static Task AbortAsync(HttpContext context)
    {
        context.Abort();
        return Task.CompletedTask;
    }

    /// <summary>
    /// A report endpoint that fails in a fixed pattern by the query's id: id % 5 == 0 resets before reading the body,
    /// id % 3 == 0 resets after reading it (the report arrived, the answer is lost), others answer 202.
    /// </summary>
    private static async Task FlakyReportAsync(HttpContext context)
    {
        var id = int.TryParse(context.Request.Query["id"], out var n) ? n : 1;
        if (id % 5 == 0)
        {
            context.Abort();
            return;
        }

        await CountBodyAsync(context.Request.Body, hash: null, context.RequestAborted);
        if (id % 3 == 0)
        {
            context.Abort();
            return;
        }

        await WriteAsync(context, 202, "application/xml", "");
    }

    /// <summary>Announces N bytes (?bytes=N), sends half of them, then resets the connection.</summary>
    private static async Task ResetMidResponseAsync(HttpContext context)
    {
        var total = long.TryParse(context.Request.Query["bytes"], out var n) && n > 1 ? n : 1_000_000;
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = total;
        await context.Response.Body.WriteAsync(new byte[total / 2], context.RequestAborted);
        await context.Response.Body.FlushAsync(context.RequestAborted);
        context.Abort();
    }

    /// <summary>Announces 100 bytes, sends ?sent=N of them (0 by default) and the headers, then goes silent.</summary>
    private static async Task StallBodyAsync(HttpContext context)
    {
        var sent = int.TryParse(context.Request.Query["sent"], out var n) && n is >= 0 and < 100 ? n : 0;
        context.Response.StatusCode = 200;
        context.Response.ContentType = "text/plain";
        context.Response.ContentLength = 100;
        await context.Response.Body.WriteAsync(new byte[sent], context.RequestAborted);
        await context.Response.Body.FlushAsync(context.RequestAborted);
        await Task.Delay(TimeSpan.FromSeconds(60), context.RequestAborted);
    }

    /// <summary>Reads about 1 MB of the request body, then resets the connection.</summary>
    private static async Task ResetMidRequestBodyAsync(HttpContext context)
    {
        var buffer = new byte[64 * 1024];
        long read = 0;
        int chunk;
        while (read < 1_000_000 && (chunk = await context.Request.Body.ReadAsync(buffer, context.RequestAborted)) > 0)
        {
            read += chunk;
        }

        context.Abort();
    }

    private static async Task SlowAsync(HttpContext context)
    {
        var ms = int.TryParse(context.Request.Query["ms"], out var n) && n >= 0 ? n : 1000;
        await Task.Delay(ms, context.RequestAborted);
        await WriteAsync(context, 200, "text/plain", "slow");
    }

    private static async Task<long> CountBodyAsync(Stream body, IncrementalHash? hash, CancellationToken cancel)
    {
        var buffer = new byte[64 * 1024];
        long total = 0;
        int read;
        while ((read = await body.ReadAsync(buffer, cancel)) > 0)
        {
            hash?.AppendData(buffer, 0, read);
            total += read;
        }
        return total;
    }

    private static Task WriteAsync(HttpContext context, int status, string contentType, string body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = contentType;
        return context.Response.WriteAsync(body, context.RequestAborted);
    }
}
