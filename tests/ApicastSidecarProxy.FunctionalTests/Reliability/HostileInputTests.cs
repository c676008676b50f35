using System.Net;
using System.Net.Sockets;
using System.Text;
using ApicastSidecarProxy.FunctionalTests.Infrastructure;

namespace ApicastSidecarProxy.FunctionalTests.Reliability;

/// <summary>
/// Malformed and hostile requests written as raw bytes: each gets its 4xx, none reaches any host (the upstream counts
/// no request), no hidden request is ever read, and the sidecar keeps serving others.
/// </summary>
[Collection(ProxyChainCollection.Name)]
public class HostileInputTests(ProxyChainFixture chain)
{
    public static TheoryData<string, string, int> HostileRequests => new()
    {
        {
            "duplicate Content-Length",
            "POST /transactions.xml HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 42\r\nConnection: close\r\n\r\nhello",
            400
        },
        {
            "oversized header block",
            "GET /transactions/authorize.xml HTTP/1.1\r\nHost: x\r\nX-Big: " + new string('a', 40_000) + "\r\n" +
            "X-Big2: " + new string('b', 40_000) + "\r\nConnection: close\r\n\r\n",
            431
        },
        {
            "too many headers",
            "GET /transactions/authorize.xml HTTP/1.1\r\nHost: x\r\n" +
            string.Concat(Enumerable.Range(0, 150).Select(i => $"X-H{i}: v\r\n")) + "Connection: close\r\n\r\n",
            431
        },
        {
            "invalid character in a header name",
            "GET /transactions/authorize.xml HTTP/1.1\r\nHost: x\r\nBad Header(): v\r\nConnection: close\r\n\r\n",
            400
        },
        {
            "64 KB request line",
            "GET /transactions/authorize.xml?x=" + new string('a', 64 * 1024) + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
            414
        },
        {
            "authority-form target with GET",
            "GET other.example:443 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
            405
        },
    };

    [Theory]
    [MemberData(nameof(HostileRequests))]
    public async Task HostileRequest_GetsItsClientError_AndNothingReachesTheUpstream(string what, string request, int expectedStatus)
    {
        await using var sidecar = await SidecarProcess.StartAsync(chain.SidecarEnvironment(chain.Tinyproxy));
        var upstreamBefore = chain.Upstream.RequestCount;

        var answer = await RawHttp.ExchangeAsync(sidecar.BackendUri, request);

        Assert.True(RawHttp.StatusOf(answer) == expectedStatus, $"{what}: expected {expectedStatus}, got:\n{Head(answer)}");
        Assert.Equal(upstreamBefore, chain.Upstream.RequestCount);
        await AssertStillServingAsync(sidecar);
    }

    [Fact]
    public async Task ContentLengthWithTransferEncoding_UsesChunkedOnly_AndClosesTheConnection()
    {
        // Kestrel follows RFC 9112: Transfer-Encoding wins, Content-Length is dropped, and the connection is closed after
        // the answer, so bytes hidden behind the chunked body are never read as a second request.
        await using var sidecar = await SidecarProcess.StartAsync(chain.SidecarEnvironment(chain.Tinyproxy));
        var path = $"/echo/cl-te/{Guid.NewGuid():N}";

        var answer = await RawHttp.ExchangeAsync(sidecar.BackendUri,
            $"POST {path} HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n" +
            "0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n");

        var received = Assert.Single(chain.Upstream.Requests, r => r.PathAndQuery == path);
        Assert.NotEqual("4", received.Header("Content-Length")); // the dropped framing never reaches the upstream
        Assert.Equal(1, CountOccurrences(answer, "HTTP/1.1 "));
        Assert.DoesNotContain(chain.Upstream.Requests, r => r.PathAndQuery.Contains("smuggled"));
    }

    [Fact]
    public async Task Http10WithoutHost_IsForwardedOnlyToTheConfiguredUpstream()
    {
        await using var sidecar = await SidecarProcess.StartAsync(chain.SidecarEnvironment(chain.Tinyproxy));

        var answer = await RawHttp.ExchangeAsync(sidecar.BackendUri, "GET /echo/http10 HTTP/1.0\r\n\r\n");

        Assert.Equal(200, RawHttp.StatusOf(answer));
        var received = Assert.Single(chain.Upstream.Requests, r => r.PathAndQuery == "/echo/http10");
        Assert.Equal(chain.Upstream.HostPort, received.Header("Host"));
    }

    [Fact]
    public async Task SlowLoris_IsDisconnectedAtTheHeaderTimeout_WhileOthersAreServed()
    {
        var environment = chain.SidecarEnvironment(chain.Tinyproxy);
        environment["CLIENT_HEADER_TIMEOUT"] = "2";
        await using var sidecar = await SidecarProcess.StartAsync(environment);
        using var loris = new TcpClient();
        await loris.ConnectAsync(sidecar.BackendUri.Host, sidecar.BackendUri.Port);
        var stream = loris.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes("GET /transactions/authorize.xml HTTP/1.1\r\nHost: x\r\n"));

        await AssertStillServingAsync(sidecar);
        var closed = await TrickleUntilClosedAsync(stream, TimeSpan.FromSeconds(20));

        Assert.True(closed, "the slow-loris connection was still open after 20 s with CLIENT_HEADER_TIMEOUT=2");
        await AssertStillServingAsync(sidecar);
    }

    // Sends one header byte at a time (well inside any per-read timeout) until the server closes the connection.
    private static async Task<bool> TrickleUntilClosedAsync(NetworkStream stream, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        var buffer = new byte[4096];
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                await stream.WriteAsync("X"u8.ToArray());
                using var wait = new CancellationTokenSource(TimeSpan.FromMilliseconds(250));
                var read = await stream.ReadAsync(buffer, wait.Token);
                if (read == 0)
                {
                    return true; // closed
                }
            }
            catch (OperationCanceledException)
            {
                // nothing to read yet: keep trickling
            }
            catch (IOException)
            {
                return true; // reset
            }
        }

        return false;
    }

    private static async Task AssertStillServingAsync(SidecarProcess sidecar)
    {
        using var client = TestHttpClients.Direct();
        using var response = await client.GetAsync(new Uri(sidecar.BackendUri, "/transactions/authorize.xml"));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    private static int CountOccurrences(string text, string value) =>
        (text.Length - text.Replace(value, "", StringComparison.Ordinal).Length) / value.Length;

    private static string Head(string answer) => answer.Length > 300 ? answer[..300] : answer;
}
