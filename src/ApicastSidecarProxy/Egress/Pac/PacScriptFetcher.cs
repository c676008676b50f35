using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Authentication;
using System.Text;

namespace ApicastSidecarProxy.Egress.Pac;

/// <summary>
/// Reads a PAC script from a local path, a file:// URL, or an http(s):// URL. HTTP goes directly, never through the
/// proxies the script describes; TLS is verified by the caller's validation (the system's trust store and
/// UPSTREAM_CA_FILE, never skipped: the script decides where traffic goes). A script larger than 1 MiB, a non-2xx
/// answer, or no answer within 10 s is an error.
/// </summary>
internal sealed class PacScriptFetcher : IDisposable
{
    public const int MaxScriptBytes = 1024 * 1024;

    public static readonly TimeSpan FetchTimeout = TimeSpan.FromSeconds(10);

    private readonly Uri? _url;
    private readonly string? _path;
    private readonly HttpClient? _client;

    private PacScriptFetcher(Uri? url, string? path, string displayLocation,
        RemoteCertificateValidationCallback? certificateValidation = null)
    {
        _url = url;
        _path = path;
        DisplayLocation = displayLocation;
        if (url is not null)
        {
            var handler = new SocketsHttpHandler { UseProxy = false, MaxAutomaticRedirections = 5 };
            handler.SslOptions.RemoteCertificateValidationCallback = certificateValidation;
            _client = new HttpClient(handler)
            {
                Timeout = Timeout.InfiniteTimeSpan,
            };
        }
    }

    /// <summary>The location without userinfo or query: safe for messages and logs.</summary>
    public string DisplayLocation { get; }

    /// <exception cref="PacScriptException">An http(s) URL that is not valid, or a scheme other than http, https and file.</exception>
    /// <param name="certificateValidation">How an https:// URL's certificate is checked; null: the system's trust store.</param>
    public static PacScriptFetcher Create(string location, RemoteCertificateValidationCallback? certificateValidation = null)
    {
        if (location.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || location.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            return Uri.TryCreate(location, UriKind.Absolute, out var url) && url.IsAbsoluteUri
                ? new PacScriptFetcher(url, null, url.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped),
                    certificateValidation)
                : throw new PacScriptException("the PAC URL is not a valid http(s):// URL");
        }

        if (location.StartsWith("file://", StringComparison.OrdinalIgnoreCase))
        {
            return Uri.TryCreate(location, UriKind.Absolute, out var file) && file.IsFile
                ? new PacScriptFetcher(null, file.LocalPath, file.LocalPath)
                : throw new PacScriptException("the PAC location is not a valid file:// URL");
        }

        if (location.Contains("://", StringComparison.Ordinal))
        {
            throw new PacScriptException("the PAC location must be a file path, a file:// URL or an http(s):// URL");
        }

        return new PacScriptFetcher(null, location, location);
    }

    /// <exception cref="PacScriptException">The script could not be read; the message says why.</exception>
    public async Task<string> FetchAsync(CancellationToken cancellationToken)
    {
        try
        {
            var bytes = _url is null ? await ReadFileAsync(cancellationToken) : await DownloadAsync(_url, cancellationToken);
            return Encoding.UTF8.GetString(bytes.AsSpan(bytes.AsSpan().StartsWith(Encoding.UTF8.Preamble) ? Encoding.UTF8.Preamble.Length : 0));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or HttpRequestException or AuthenticationException
                                      || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new PacScriptException($"cannot read the PAC script from {DisplayLocation}: {Reason(e)}", e);
        }
    }

    public void Dispose() => _client?.Dispose();

    private async Task<byte[]> ReadFileAsync(CancellationToken cancellationToken)
    {
        await using var file = new FileStream(_path!, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 4096, useAsync: true);
        return await ReadBoundedAsync(file, cancellationToken);
    }

    private async Task<byte[]> DownloadAsync(Uri url, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(FetchTimeout);
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (url.UserInfo.Length > 0)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
                Convert.ToBase64String(Encoding.UTF8.GetBytes(Uri.UnescapeDataString(url.UserInfo))));
        }

        using var response = await _client!.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"the server answered {(int)response.StatusCode} {response.ReasonPhrase}");
        }

        if (response.Content.Headers.ContentLength > MaxScriptBytes)
        {
            throw new IOException(TooLarge);
        }

        await using var body = await response.Content.ReadAsStreamAsync(timeout.Token);
        return await ReadBoundedAsync(body, timeout.Token);
    }

    private static async Task<byte[]> ReadBoundedAsync(Stream stream, CancellationToken cancellationToken)
    {
        var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxScriptBytes)
            {
                throw new IOException(TooLarge);
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private const string TooLarge = "the script is larger than 1 MiB";

    private static string Reason(Exception e) => e switch
    {
        OperationCanceledException => $"no answer within {FetchTimeout.TotalSeconds:0} s",
        FileNotFoundException or DirectoryNotFoundException => "no such file",
        UnauthorizedAccessException => "permission denied",
        // The innermost message says what failed (connection refused, certificate chain untrusted); .NET's outer ones
        // only say "see inner exception".
        _ => Innermost(e).Message,
    };

    private static Exception Innermost(Exception e) => e.InnerException is { } inner ? Innermost(inner) : e;
}
