namespace ApicastSidecarProxy.Tests.PacEngine;

public class PacHelperTests
{
    [Theory]
    [InlineData("isPlainHostName('intranet')", "true")]
    [InlineData("isPlainHostName('www.example.com')", "false")]
    [InlineData("isPlainHostName('::1')", "false")]
    [InlineData("dnsDomainIs('www.example.com', '.example.com')", "true")]
    [InlineData("dnsDomainIs('www', '.example.com')", "false")]
    [InlineData("dnsDomainIs('www.example.org', '.example.com')", "false")]
    [InlineData("localHostOrDomainIs('www.example.com', 'www.example.com')", "true")]
    [InlineData("localHostOrDomainIs('www', 'www.example.com')", "true")]
    [InlineData("localHostOrDomainIs('www.example.org', 'www.example.com')", "false")]
    [InlineData("localHostOrDomainIs('home.example.com', 'www.example.com')", "false")]
    [InlineData("dnsDomainLevels('www')", "0")]
    [InlineData("dnsDomainLevels('www.example.com')", "2")]
    [InlineData("convert_addr('10.1.2.3')", "167838211")]
    public void HostHelpers_FollowNetscapesDefinitions(string expression, string expected)
    {
        Assert.Equal(expected, PacTestScripts.Evaluate(expression));
    }

    [Theory]
    [InlineData("http://home.example.com/people/ari/index.html", "*/ari/*", "true")]
    [InlineData("http://home.example.com/people/index.html", "*/ari/*", "false")]
    [InlineData("http://home.example.com/", "*home*", "true")]
    [InlineData("http://www.example.com/", "http://*.example.com/", "true")]
    [InlineData("www.example.com", "*.example.com", "true")]
    [InlineData("example.com", "*.example.com", "false")]
    [InlineData("wwwXexample.com", "www.example.com", "false")]
    [InlineData("a1.example.com", "a?.example.com", "true")]
    [InlineData("a12.example.com", "a?.example.com", "false")]
    [InlineData("WWW.EXAMPLE.COM", "*.example.com", "false")]
    [InlineData("x(1)+[2]$^|{}.com", "x(1)+[2]$^|{}.com", "true")]
    [InlineData("prefix.example.com.evil", "*.example.com", "false")]
    public void ShExpMatch_IsAnAnchoredCaseSensitiveGlob(string text, string pattern, string expected)
    {
        Assert.Equal(expected, PacTestScripts.Evaluate($"shExpMatch('{text}', '{pattern}')"));
    }

    [Fact]
    public void Alert_IsANoOp()
    {
        Assert.Equal("undefined", PacTestScripts.Evaluate("alert('debugging')"));
    }
}
