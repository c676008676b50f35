using ApicastSidecarProxy.Forwarding;

namespace ApicastSidecarProxy.Tests.Forwarding;

public class OriginFormTargetTests
{
    private const string Prefix = "https://su1.3scale.net/prefix";

    [Theory]
    [InlineData("/transactions/authrep.xml?usage%5Bhits%5D=1", "/prefix/transactions/authrep.xml?usage%5Bhits%5D=1")]
    [InlineData("/a%2Fb/c", "/prefix/a%2Fb/c")]
    [InlineData("/a%7Eb/~c", "/prefix/a%7Eb/~c")]
    [InlineData("/...x/..y", "/prefix/...x/..y")]
    public void SafeTargets_AreKeptByteForByte(string rawTarget, string expectedPathAndQuery)
    {
        var uri = OriginFormTarget.TryCreateUri(Prefix, rawTarget);

        Assert.NotNull(uri);
        Assert.Equal("su1.3scale.net", uri.Host);
        Assert.Equal(expectedPathAndQuery, uri.PathAndQuery);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("*")]
    [InlineData("http://other.example/")]
    [InlineData("/a/../b")]
    [InlineData("/a/..")]
    [InlineData("/./a")]
    [InlineData("/a/%2e%2E/b")]
    [InlineData("/a/.%2e?x")]
    [InlineData("/caf\u00e9")]
    public void OtherTargets_FallBackToTheNormalizedPath(string? rawTarget)
    {
        Assert.Null(OriginFormTarget.TryCreateUri(Prefix, rawTarget));
    }

    [Theory]
    [InlineData("http://ocsp.example/", "/")]
    [InlineData("http://ocsp.example", "/")]
    [InlineData("http://ocsp.example:8080/a/b%2Fc?x=1", "/a/b%2Fc?x=1")]
    [InlineData("http://ocsp.example?x=1", "/?x=1")]
    [InlineData("http://[::1]:80/p", "/p")]
    [InlineData("/already/origin?x", "/already/origin?x")]
    [InlineData("*", "*")]
    [InlineData(null, null)]
    public void OfAbsolute_KeepsThePathAndQueryByteForByte(string? rawTarget, string? expected)
    {
        Assert.Equal(expected, OriginFormTarget.OfAbsolute(rawTarget));
    }
}
