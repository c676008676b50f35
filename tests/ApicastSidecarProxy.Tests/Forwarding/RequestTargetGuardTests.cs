using ApicastSidecarProxy.Forwarding;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace ApicastSidecarProxy.Tests.Forwarding;

public class RequestTargetGuardTests
{
    [Theory]
    [InlineData("GET", "/transactions/authrep.xml?a=1", null)]
    [InlineData("POST", "/transactions.xml", null)]
    [InlineData("CONNECT", "su1.3scale.net:443", "connect_refused")]
    [InlineData("GET", "http://other.example/", "absolute_form_refused")]
    [InlineData("GET", "https://other.example/x", "absolute_form_refused")]
    [InlineData("OPTIONS", "*", "absolute_form_refused")]
    [InlineData("GET", "/x\rFORGED", "bad_request_target")]
    [InlineData("GET", "/x\tTAB", "bad_request_target")]
    [InlineData("GET", "/x\u001b[2J", "bad_request_target")]
    [InlineData("GET", "/x?a=\u007f", "bad_request_target")]
    [InlineData("GET", "/x?a=%0D%0A", null)]
    public void OnlyOriginFormTargetsPass(string method, string rawTarget, string? expectedCode)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        context.Features.Get<IHttpRequestFeature>()!.RawTarget = rawTarget;

        Assert.Equal(expectedCode, RequestTargetGuard.Check(context)?.CodeText);
    }
}
