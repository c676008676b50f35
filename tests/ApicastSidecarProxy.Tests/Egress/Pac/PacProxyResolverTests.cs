using ApicastSidecarProxy.Egress;
using ApicastSidecarProxy.Egress.Pac;

namespace ApicastSidecarProxy.Tests.Egress.Pac;

public class PacProxyResolverTests
{
    private static PacProxyResolver Resolver(string body) =>
        new(InMemoryPacEngine.Compile($"var calls = 0;\nfunction FindProxyForURL(url, host) {{\n{body}\n}}"));

    private static string Resolve(PacProxyResolver resolver, string destination) =>
        string.Join(", ", resolver.Resolve(new Uri(destination)));

    [Theory]
    [InlineData("https://user:pw@api.example.com/admin/api/accounts.xml?access_token=SECRET#x", "https://api.example.com/", "api.example.com")]
    [InlineData("http://api.example.com:80/x", "http://api.example.com/", "api.example.com")]
    [InlineData("https://API.Example.com:8443/x?y", "https://api.example.com:8443/", "api.example.com")]
    [InlineData("https://[fd00::1]:8443/x", "https://[fd00::1]:8443/", "fd00::1")]
    [InlineData("https://bücher.example/x", "https://xn--bcher-kva.example/", "xn--bcher-kva.example")]
    public void ScriptArguments_AreSchemeHostAndPortOnly(string destination, string url, string host)
    {
        Assert.Equal((url, host), PacProxyResolver.ScriptArguments(new Uri(destination)));
    }

    [Fact]
    public void TheScriptSeesNeitherPathNorQuery()
    {
        var resolver = Resolver("return url === 'https://api.example.com/' && host === 'api.example.com' ? 'DIRECT' : 'PROXY wrong:1';");

        Assert.Equal("DIRECT", Resolve(resolver, "https://api.example.com/admin/api/accounts.xml?access_token=SECRET"));
    }

    [Fact]
    public void ListIsParsed()
    {
        var resolver = Resolver("return 'PROXY a:3128; SOCKS5 b:1080; DIRECT';");

        Assert.Equal("http://a:3128, socks5://b:1080, DIRECT", Resolve(resolver, "https://api.example.com/"));
    }

    [Fact]
    public void CacheHit_DoesNotEvaluateAgain()
    {
        var resolver = Resolver("calls++; return 'PROXY p' + calls + ':3128';");

        Assert.Equal("http://p1:3128", Resolve(resolver, "https://api.example.com/a"));
        Assert.Equal("http://p1:3128", Resolve(resolver, "https://api.example.com/b?c"));
        Assert.Equal("http://p2:3128", Resolve(resolver, "https://api.example.com:8443/"));
        Assert.Equal("http://p3:3128", Resolve(resolver, "http://api.example.com/"));
        Assert.Equal("http://p4:3128", Resolve(resolver, "https://other.example.com/"));
        Assert.Equal("http://p1:3128", Resolve(resolver, "https://api.example.com/"));
    }

    [Fact]
    public void Failure_IsCachedToo()
    {
        var resolver = Resolver("calls++; if (calls === 1) { throw new Error('first call'); } return 'DIRECT';");

        var first = Assert.Throws<ProxySelectionException>(() => resolver.Resolve(new Uri("https://api.example.com/")));
        var second = Assert.Throws<ProxySelectionException>(() => resolver.Resolve(new Uri("https://api.example.com/x")));

        Assert.StartsWith("the PAC script threw: first call", first.Message);
        Assert.Equal(first.Message, second.Message);
        Assert.Equal("DIRECT", Resolve(resolver, "https://other.example.com/"));
    }

    [Fact]
    public void BadResult_IsAFailure()
    {
        var resolver = Resolver("return '';");

        var error = Assert.Throws<ProxySelectionException>(() => resolver.Resolve(new Uri("https://api.example.com/")));

        Assert.Equal("the PAC script returned no proxy list", error.Message);
    }

    [Fact]
    public void Replace_SwapsTheScriptAndClearsTheCache()
    {
        var resolver = Resolver("return 'PROXY old:3128';");
        Assert.Equal("http://old:3128", Resolve(resolver, "https://api.example.com/"));
        var replacement = InMemoryPacEngine.Compile("function FindProxyForURL(url, host) { return 'PROXY new:3128'; }");

        resolver.Replace(replacement);

        Assert.Same(replacement, resolver.Script);
        Assert.Equal("http://new:3128", Resolve(resolver, "https://api.example.com/"));
    }

    [Fact]
    public void FullCache_StartsOver()
    {
        var resolver = Resolver("calls++; return 'PROXY p' + calls + ':3128';");
        Assert.Equal("http://p1:3128", Resolve(resolver, "https://h0.example/"));
        for (var i = 1; i < PacProxyResolver.CacheCapacity; i++)
        {
            resolver.Resolve(new Uri($"https://h{i}.example/"));
        }

        Assert.Equal("http://p1:3128", Resolve(resolver, "https://h0.example/"));
        resolver.Resolve(new Uri("https://one-too-many.example/"));

        Assert.Equal($"http://p{PacProxyResolver.CacheCapacity + 2}:3128", Resolve(resolver, "https://h0.example/"));
    }

    [Fact]
    public void ConcurrentResolves_AllGetAnAnswer()
    {
        var resolver = Resolver("return 'PROXY ' + host + ':3128';");

        Parallel.For(0, 200, i => Assert.Equal($"http://h{i % 20}:3128", Resolve(resolver, $"https://h{i % 20}/")));
    }
}
