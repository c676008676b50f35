using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using ApicastSidecarProxy.FunctionalTests.Infrastructure;

namespace ApicastSidecarProxy.FunctionalTests.InfrastructureTests;

public sealed class FakeThreescaleUpstreamTests : IAsyncLifetime
{
    private const long FiveMegabytes = 5 * 1024 * 1024;
    private readonly TestCertificateAuthority _ca = new();
    private FakeThreescaleUpstream _upstream = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _upstream = await FakeThreescaleUpstream.StartHttpsAsync(_ca.ServerCertificate);
        _client = TestHttpClients.Direct(_ca);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _upstream.DisposeAsync();
        _ca.Dispose();
    }

    [Fact]
    public async Task Authorize_without_keys_is_403_with_3scale_headers()
    {
        using var response = await _client.GetAsync(_upstream.Url("/transactions/authorize.xml?user_key=K"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/vnd.3scale-v2.0+xml", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("provider_key_or_service_token_required", await response.Content.ReadAsStringAsync());
        Assert.Equal("provider_key_or_service_token_required", response.Headers.GetValues("3scale-rejection-reason").Single());
        Assert.Equal("0", response.Headers.GetValues("3scale-limit-remaining").Single());
        Assert.Equal("60", response.Headers.GetValues("3scale-limit-reset").Single());
    }

    [Fact]
    public async Task Routes_match_under_a_path_prefix_and_requests_are_recorded()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, _upstream.Url("/prefix/admin/api/accounts.xml?a=1"));
        request.Headers.Add("User-Agent", "APIcast/3.15");

        using var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var received = Assert.Single(_upstream.Requests);
        Assert.Equal("GET", received.Method);
        Assert.Equal("/prefix/admin/api/accounts.xml?a=1", received.PathAndQuery);
        Assert.Equal("APIcast/3.15", received.Header("user-agent"));
    }

    [Fact]
    public async Task Echo_reports_method_path_prefix_query_headers_and_body_length()
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, _upstream.Url("/base/echo/x/y?q=1"))
        {
            Content = new StringContent("hello"),
        };
        request.Headers.Add("3scale-options", "rejection_reason_header=1");

        using var response = await _client.SendAsync(request);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        var root = json.RootElement;
        Assert.Equal("PUT", root.GetProperty("method").GetString());
        Assert.Equal("/base/echo/x/y", root.GetProperty("path").GetString());
        Assert.Equal("/base", root.GetProperty("pathBase").GetString());
        Assert.Equal("?q=1", root.GetProperty("query").GetString());
        Assert.Equal("rejection_reason_header=1", root.GetProperty("headers").GetProperty("3scale-options")[0].GetString());
        Assert.Equal(5, root.GetProperty("bodyLength").GetInt64());
    }

    [Fact]
    public async Task Upload_hash_and_download_hash_agree_for_5_MB()
    {
        using var upload = await _client.PostAsync(_upstream.Url("/upload"), new StreamContent(new DeterministicStream(FiveMegabytes)));
        Assert.Equal($"{FakeThreescaleUpstream.ExpectedDownloadSha256(FiveMegabytes)} {FiveMegabytes}",
            await upload.Content.ReadAsStringAsync());

        using var download = await _client.GetAsync(_upstream.Url($"/download?bytes={FiveMegabytes}"), HttpCompletionOption.ResponseHeadersRead);
        await using var body = await download.Content.ReadAsStreamAsync();
        Assert.Equal(FakeThreescaleUpstream.ExpectedDownloadSha256(FiveMegabytes), Convert.ToHexStringLower(await SHA256.HashDataAsync(body)));
    }

    [Fact]
    public async Task Slow_request_is_aborted_when_the_client_gives_up()
    {
        using var giveUp = new CancellationTokenSource();
        var slow = _client.GetAsync(_upstream.Url("/slow?ms=30000"), giveUp.Token);
        // Cancel only once the request has arrived: on a busy machine a fixed short timeout can fire before it does.
        await Eventually.ReturnsAsync(() => Task.FromResult(_upstream.RequestCount), n => n == 1, TimeSpan.FromSeconds(15), "the request arriving");
        giveUp.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => slow);
        Assert.Equal(1, await Eventually.ReturnsAsync(() => Task.FromResult(_upstream.AbortedRequestCount), n => n == 1,
            TimeSpan.FromSeconds(15), "the upstream noticing the abort"));
    }

    [Fact]
    public async Task A_client_trusting_another_CA_rejects_the_upstream()
    {
        using var otherCa = TestCertificateAuthority.CreateUnrelated();
        using var client = TestHttpClients.Direct(otherCa);

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync(_upstream.Url("/admin/api/accounts.xml")));

        Assert.Equal(HttpRequestError.SecureConnectionError, error.HttpRequestError);
    }

    [Fact]
    public async Task Plain_http_variant_serves_the_same_routes()
    {
        await using var plain = await FakeThreescaleUpstream.StartPlainHttpAsync();

        using var response = await _client.GetAsync(plain.Url("/admin/api/accounts.xml"));

        Assert.Equal("http", plain.BaseUri.Scheme);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }
}
