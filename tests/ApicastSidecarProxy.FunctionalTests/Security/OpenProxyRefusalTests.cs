using ApicastSidecarProxy.FunctionalTests.Infrastructure;

namespace ApicastSidecarProxy.FunctionalTests.Security;

/// <summary>The sidecar is not an open forward proxy: CONNECT and absolute-form targets never steer it elsewhere.</summary>
[Collection(ProxyChainCollection.Name)]
public class OpenProxyRefusalTests(ProxyChainFixture chain)
{
    [Theory]
    [InlineData("CONNECT other.example:443 HTTP/1.1\r\nHost: other.example:443\r\nConnection: close\r\n\r\n", 405, "connect_refused")]
    [InlineData("GET http://other.example/admin/api/accounts.xml HTTP/1.1\r\nHost: other.example\r\nConnection: close\r\n\r\n", 400, "absolute_form_refused")]
    [InlineData("GET https://other.example/x HTTP/1.1\r\nHost: other.example\r\nConnection: close\r\n\r\n", 400, "absolute_form_refused")]
    public async Task ForwardProxyRequests_AreRefused_AndReachNoHost(string request, int status, string code)
    {
        var connectsBefore = chain.Tinyproxy.CountConnects("other.example:443");
        var upstreamRequestsBefore = chain.Upstream.RequestCount;
        await using var sidecar = await SidecarProcess.StartAsync(chain.SidecarEnvironment(chain.Tinyproxy));

        var answer = await RawHttp.ExchangeAsync(sidecar.BackendUri, request);

        Assert.Equal(status, RawHttp.StatusOf(answer));
        Assert.Contains($"X-Sidecar-Error: {code}", answer);
        await sidecar.WaitForAccessLogAsync(code);
        Assert.Equal(upstreamRequestsBefore, chain.Upstream.RequestCount);
        Assert.Equal(connectsBefore, chain.Tinyproxy.CountConnects("other.example:443"));
        Assert.DoesNotContain("other.example", chain.Tinyproxy.ReadLog());
    }

    [Fact]
    public async Task AbsoluteFormWithUserInfo_IsLoggedMasked()
    {
        await using var sidecar = await SidecarProcess.StartAsync(chain.SidecarEnvironment(chain.Tinyproxy));

        var answer = await RawHttp.ExchangeAsync(sidecar.BackendUri,
            "GET http://user:s3cr3t-pw@other.example/ HTTP/1.1\r\nHost: other.example\r\nConnection: close\r\n\r\n");

        Assert.Equal(400, RawHttp.StatusOf(answer));
        var line = await sidecar.WaitForAccessLogAsync("absolute_form_refused");
        Assert.Contains("path=http://***@other.example/", line);
        Assert.DoesNotContain("s3cr3t-pw", sidecar.Output);
        Assert.DoesNotContain("s3cr3t-pw", answer);
    }

    [Fact]
    public async Task ControlCharacterInTheTarget_IsRefused_AndCannotForgeALogLine()
    {
        var upstreamRequestsBefore = chain.Upstream.RequestCount;
        await using var sidecar = await SidecarProcess.StartAsync(chain.SidecarEnvironment(chain.Tinyproxy));

        var answer = await RawHttp.ExchangeAsync(sidecar.BackendUri,
            "GET /x\rinfo:access[1]route=backend HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");

        Assert.Equal(400, RawHttp.StatusOf(answer));
        Assert.Contains("X-Sidecar-Error: bad_request_target", answer);
        var line = await sidecar.WaitForAccessLogAsync("bad_request_target");
        Assert.Contains("path=/x%0Dinfo:access[1]route=backend status=400", line);
        Assert.Equal(upstreamRequestsBefore, chain.Upstream.RequestCount);
    }

    [Fact]
    public async Task AbsoluteFormWithMismatchedHost_IsRejectedByTheServer()
    {
        await using var sidecar = await SidecarProcess.StartAsync(chain.SidecarEnvironment(chain.Tinyproxy));

        var answer = await RawHttp.ExchangeAsync(sidecar.BackendUri,
            "GET http://other.example/ HTTP/1.1\r\nHost: third.example\r\nConnection: close\r\n\r\n");

        Assert.Equal(400, RawHttp.StatusOf(answer));
    }
}
