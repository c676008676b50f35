using ApicastSidecarProxy.Egress;
using ApicastSidecarProxy.Egress.Pac;

namespace ApicastSidecarProxy.Tests.Egress.Pac;

public class PacResultParserTests
{
    private static string Parsed(string result) => string.Join(", ", PacResultParser.Parse(result).Select(c => c.IsDirect ? "DIRECT" : c.Proxy!.AbsoluteUri));

    [Theory]
    [InlineData("DIRECT", "DIRECT")]
    [InlineData("direct", "DIRECT")]
    [InlineData("PROXY proxy.example:3128", "http://proxy.example:3128/")]
    [InlineData("proxy proxy.example:3128", "http://proxy.example:3128/")]
    [InlineData("HTTP proxy.example:3128", "http://proxy.example:3128/")]
    [InlineData("HTTPS proxy.example:8443", "https://proxy.example:8443/")]
    [InlineData("SOCKS socks.example:1081", "socks4://socks.example:1081/")]
    [InlineData("SOCKS4 socks.example:1081", "socks4://socks.example:1081/")]
    [InlineData("SOCKS5 socks.example:1081", "socks5://socks.example:1081/")]
    [InlineData("PROXY 10.0.0.1:8080", "http://10.0.0.1:8080/")]
    [InlineData("PROXY [fd00::1]:8080", "http://[fd00::1]:8080/")]
    [InlineData("HTTPS [fd00::1]", "https://[fd00::1]/")]
    public void EachKeyword_BecomesAProxyUri(string result, string expected)
    {
        Assert.Equal(expected, Parsed(result));
    }

    [Theory]
    [InlineData("PROXY proxy.example", "http", 80)]
    [InlineData("HTTP proxy.example", "http", 80)]
    [InlineData("HTTPS proxy.example", "https", 443)]
    [InlineData("SOCKS proxy.example", "socks4", 1080)]
    [InlineData("SOCKS5 proxy.example", "socks5", 1080)]
    public void MissingPort_TakesTheDefaultOfTheKind(string result, string scheme, int port)
    {
        var proxy = Assert.Single(PacResultParser.Parse(result)).Proxy!;

        Assert.Equal(scheme, proxy.Scheme);
        Assert.Equal(port, proxy.Port);
    }

    [Fact]
    public void List_KeepsOrder_SkipsEmptyEntries_AndDropsDuplicates()
    {
        Assert.Equal("http://a:3128/, socks5://b:1080/, DIRECT",
            Parsed("  PROXY a:3128;; SOCKS5  b:1080 ;PROXY a:3128; DIRECT;DIRECT;  "));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(";;")]
    public void EmptyResult_IsAFailure_NeverDirect(string result)
    {
        var error = Assert.Throws<ProxySelectionException>(() => PacResultParser.Parse(result));

        Assert.Equal("the PAC script returned no proxy list", error.Message);
    }

    [Theory]
    [InlineData("FTP proxy:21", "the PAC script returned an unknown proxy type in 'FTP proxy:21'")]
    [InlineData("DIRECT; BOGUS", "the PAC script returned an unknown proxy type in 'BOGUS'")]
    [InlineData("PROXY", "the PAC script returned a malformed entry 'PROXY'")]
    [InlineData("PROXY a:1 b:2", "the PAC script returned a malformed entry 'PROXY a:1 b:2'")]
    [InlineData("PROXY a:0", "the PAC script returned a malformed entry 'PROXY a:0'")]
    [InlineData("PROXY a:65536", "the PAC script returned a malformed entry 'PROXY a:65536'")]
    [InlineData("PROXY a:port", "the PAC script returned a malformed entry 'PROXY a:port'")]
    [InlineData("PROXY a:-1", "the PAC script returned a malformed entry 'PROXY a:-1'")]
    [InlineData("PROXY fd00::1", "the PAC script returned a malformed entry 'PROXY fd00::1'")]
    [InlineData("PROXY [fd00::1", "the PAC script returned a malformed entry 'PROXY [fd00::1'")]
    [InlineData("PROXY [10.0.0.1]:80", "the PAC script returned a malformed entry 'PROXY [10.0.0.1]:80'")]
    [InlineData("PROXY user@a:80", "the PAC script returned a malformed entry 'PROXY user@a:80'")]
    [InlineData("PROXY a/b:80", "the PAC script returned a malformed entry 'PROXY a/b:80'")]
    [InlineData("DIRECT a:80", "the PAC script returned a malformed entry 'DIRECT a:80'")]
    public void Garbage_IsAFailure_NamingTheEntry(string result, string message)
    {
        var error = Assert.Throws<ProxySelectionException>(() => PacResultParser.Parse(result));

        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void ProxyChoices_HaveNoPathOrUserInfo()
    {
        var choice = Assert.Single(PacResultParser.Parse("PROXY proxy.example:3128"));

        Assert.Equal("http://proxy.example:3128", choice.ToString());
        Assert.Equal("", choice.Proxy!.UserInfo);
    }
}
