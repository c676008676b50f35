using ApicastSidecarProxy.PacEngine;

namespace ApicastSidecarProxy.Tests.PacEngine;

public class PacEngineServerTests
{
    private const string Script = "function FindProxyForURL(url, host) { if (host === 'bad') throw new Error('bad host'); return 'PROXY ' + host + ':3128'; }";

    private static string B64(string text) => Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(text));

    /// <summary>The replies, each argument decoded: "ok", "ok RESULT", "error REASON".</summary>
    private static string[] Serve(params string[] requests)
    {
        var replies = new StringWriter { NewLine = "\n" };
        new PacEngineServer(PacTestScripts.Options).Run(new StringReader(string.Join("\n", requests) + "\n"), replies);
        return replies.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(reply => string.Join(' ', reply.Split(' ').Select((part, i) =>
                i == 0 ? part : System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(part)))))
            .ToArray();
    }

    [Fact]
    public void EveryRequestGetsOneReply_InOrder_AndAFailureDoesNotStopTheEngine()
    {
        var replies = Serve(
            $"compile {B64("1")} {B64(Script)}",
            $"find {B64("1")} {B64("https://a.example/")} {B64("a.example")}",
            $"find {B64("1")} {B64("https://bad/")} {B64("bad")}",
            $"find {B64("2")} {B64("https://a.example/")} {B64("a.example")}",
            $"compile {B64("3")} {B64("function FindProxyForURL( {")}",
            "find !!! not-base64",
            $"teleport {B64("1")}",
            $"drop {B64("1")}",
            $"find {B64("1")} {B64("https://a.example/")} {B64("a.example")}");

        Assert.Equal(string.Join("\n",
        [
            "ok",
            "ok PROXY a.example:3128",
            "error the PAC script threw: bad host (line 1, column 65)",
            "error the PAC script was replaced",
            "error the PAC script has a syntax error at line 1, column 28: Unexpected end of input",
            "error the PAC engine received a malformed request",
            "error the PAC engine received an unknown request",
            "ok",
            "error the PAC script was replaced",
        ]), string.Join("\n", replies));
    }

    [Fact]
    public void ACompileUnderAnIdInUse_ReplacesItsScript()
    {
        var replies = Serve(
            $"compile {B64("1")} {B64("function FindProxyForURL(url, host) { return 'DIRECT'; }")}",
            $"compile {B64("1")} {B64("function FindProxyForURL(url, host) { return 'PROXY new:1'; }")}",
            $"find {B64("1")} {B64("https://a/")} {B64("a")}");

        Assert.Equal(["ok", "ok", "ok PROXY new:1"], replies);
    }

    [Fact]
    public void ArgumentsMayHoldSpacesNewlinesAndNonAscii()
    {
        var replies = Serve(
            $"compile {B64("1")} {B64("// commentaire: é\r\nfunction FindProxyForURL(url, host) {\n  return 'PROXY a:1;\\nDIRECT ' + host;\n}")}",
            $"find {B64("1")} {B64("https://xn--bcher-kva.example/")} {B64("xn--bcher-kva.example")}");

        Assert.Equal(["ok", "ok PROXY a:1;\nDIRECT xn--bcher-kva.example"], replies);
    }
}
