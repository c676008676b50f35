using ApicastSidecarProxy.Failures;

namespace ApicastSidecarProxy.Tests.Failures;

public class FailureCodesTests
{
    [Theory]
    [InlineData(FailureCode.ProxyAuthFailed, "proxy_auth_failed")]
    [InlineData(FailureCode.UpstreamTlsFailed, "upstream_tls_failed")]
    [InlineData(FailureCode.RequestHeadTooLarge, "request_head_too_large")]
    public void Text_IsSnakeCase(FailureCode code, string text)
    {
        Assert.Equal(text, code.Text());
    }

    [Fact]
    public void EveryCode_HasItsOwnText()
    {
        Assert.Equal(FailureCodes.All.Count, FailureCodes.All.Select(code => code.Text()).Distinct().Count());
        Assert.All(FailureCodes.All, code => Assert.Matches("^[a-z]+(_[a-z]+)+$", code.Text()));
    }
}
