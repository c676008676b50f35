using ApicastSidecarProxy.PacEngine;

namespace ApicastSidecarProxy.Tests.PacEngine;

public class PacScriptSandboxTests
{
    private static PacScript Compile(string body) =>
        PacScript.Compile($"function FindProxyForURL(url, host) {{\n{body}\n}}", PacTestScripts.Options);

    private static PacScriptException Fails(string body)
    {
        using var script = Compile(body);
        return Assert.Throws<PacScriptException>(() => script.FindProxyForUrl("https://example.com/", "example.com"));
    }

    [Fact]
    public void SyntaxError_FailsCompile_WithLineAndColumnButNotTheScript()
    {
        var error = Assert.Throws<PacScriptException>(() =>
            PacScript.Compile("var secretList = ['a'];\nfunction FindProxyForURL(url, host) { return 'DIRECT' +; }"));

        Assert.Contains("syntax error at line 2, column", error.Message);
        Assert.DoesNotContain("secretList", error.Message);
        Assert.DoesNotContain("FindProxyForURL", error.Message);
    }

    [Fact]
    public void MissingFunction_FailsCompile()
    {
        var error = Assert.Throws<PacScriptException>(() => PacScript.Compile("var FindProxyForURL = 'DIRECT';"));

        Assert.Contains("defines no function FindProxyForURL", error.Message);
    }

    [Fact]
    public void TopLevelEndlessLoop_FailsCompile()
    {
        var error = Assert.Throws<PacScriptException>(() =>
            PacScript.Compile("while (true) {}\nfunction FindProxyForURL(url, host) { return 'DIRECT'; }", PacTestScripts.Options));

        Assert.Matches("^the PAC script's top-level code exceeded its (statement|time) limit", error.Message);
    }

    [Fact]
    public void TopLevelThrow_FailsCompile()
    {
        var error = Assert.Throws<PacScriptException>(() =>
            PacScript.Compile("throw new Error('not ready');\nfunction FindProxyForURL(url, host) { return 'DIRECT'; }", PacTestScripts.Options));

        Assert.Contains("top-level code threw: not ready (line 1", error.Message);
    }

    [Fact]
    public void Throw_IsAProxySelectionFailure()
    {
        Assert.Equal("the PAC script threw: no route (line 2, column 7)", Fails("throw new Error('no route');").Message);
    }

    [Fact]
    public void ReferenceError_IsAProxySelectionFailure()
    {
        Assert.StartsWith("the PAC script threw: ", Fails("return notDefined(host);").Message);
    }

    [Fact]
    public void EndlessLoop_HitsTheStatementLimit()
    {
        using var script = PacScript.Compile("function FindProxyForURL(url, host) { while (true) {} }",
            PacTestScripts.Options with { Timeout = TimeSpan.FromMinutes(1), MaxStatements = 10_000 });

        var error = Assert.Throws<PacScriptException>(() => script.FindProxyForUrl("https://example.com/", "example.com"));

        Assert.Equal("the PAC script exceeded its statement limit of 10,000", error.Message);
    }

    [Fact]
    public void EndlessLoop_WithTheDefaultLimits_Fails()
    {
        Assert.Matches("^the PAC script exceeded its (statement|time) limit", Fails("while (true) {}").Message);
    }

    [Fact]
    public void SlowScript_HitsTheTimeLimit()
    {
        using var script = PacScript.Compile("function FindProxyForURL(url, host) { while (true) {} }",
            PacTestScripts.Options with { Timeout = TimeSpan.FromMilliseconds(50), MaxStatements = int.MaxValue });

        var error = Assert.Throws<PacScriptException>(() => script.FindProxyForUrl("https://example.com/", "example.com"));

        Assert.Equal("the PAC script exceeded its time limit of 0.05 s", error.Message);
    }

    [Fact]
    public void EndlessRecursion_HitsTheRecursionLimit()
    {
        using var script = PacScript.Compile("function f(n) { return f(n + 1); }\nfunction FindProxyForURL(url, host) { return f(0); }",
            PacTestScripts.Options);

        var error = Assert.Throws<PacScriptException>(() => script.FindProxyForUrl("https://example.com/", "example.com"));

        Assert.Equal("the PAC script exceeded its recursion limit of 64", error.Message);
    }

    [Fact]
    public void HugeAllocation_HitsTheMemoryLimit()
    {
        var error = Fails("var s = 'x'; var all = []; for (var i = 0; i < 100000; i++) { all.push(s + i + s + i); s = s + 'x'; } return 'DIRECT';");

        Assert.Equal("the PAC script exceeded its memory limit of 16 MiB", error.Message);
    }

    [Fact]
    public void NonStringResult_IsAFailure()
    {
        Assert.Equal("the PAC script returned a non-string (number)", Fails("return 42;").Message);
        Assert.Equal("the PAC script returned a non-string (undefined)", Fails("return;").Message);
        Assert.Equal("the PAC script returned a non-string (null)", Fails("return null;").Message);
    }

    [Fact]
    public void TheEngineRecovers_AfterAFailedEvaluation()
    {
        using var script = Compile("if (host === 'loop') { while (true) {} } return 'DIRECT';");

        Assert.Throws<PacScriptException>(() => script.FindProxyForUrl("http://loop/", "loop"));
        Assert.Equal("DIRECT", script.FindProxyForUrl("http://ok/", "ok"));
    }

    [Theory]
    [InlineData("System")]
    [InlineData("importNamespace")]
    [InlineData("host.constructor.constructor('return System')()")]
    [InlineData("clr")]
    [InlineData("require")]
    [InlineData("process")]
    [InlineData("XMLHttpRequest")]
    [InlineData("fetch")]
    public void NothingFromDotNetIsReachable(string expression)
    {
        using var script = Compile($"try {{ var v = {expression}; return typeof v === 'undefined' ? 'DIRECT' : 'PROXY leaked:1'; }} catch (e) {{ return 'DIRECT'; }}");

        Assert.Equal("DIRECT", script.FindProxyForUrl("http://example.com/", "example.com"));
    }

    [Fact]
    public void HostFunctions_DoNotExposeTheirClrType()
    {
        Assert.Equal("function", PacTestScripts.Evaluate("typeof dnsResolve"));
        Assert.Equal("undefined", PacTestScripts.Evaluate("typeof dnsResolve.GetType"));
    }

    [Fact]
    public void Evaluations_FromManyThreads_AreSerialized()
    {
        using var script = Compile("var n = 0; for (var i = 0; i < 1000; i++) { n++; } return n === 1000 ? 'DIRECT' : 'PROXY broken:1';");

        Parallel.For(0, 64, _ => Assert.Equal("DIRECT", script.FindProxyForUrl("http://example.com/", "example.com")));
    }
}
