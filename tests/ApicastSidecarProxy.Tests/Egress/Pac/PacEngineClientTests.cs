using System.Diagnostics;
using ApicastSidecarProxy.Egress;
using ApicastSidecarProxy.Egress.Pac;
using PacEngineServer = ApicastSidecarProxy.PacEngine.PacEngineServer;
using ApicastSidecarProxy.Tests.PacEngine;

namespace ApicastSidecarProxy.Tests.Egress.Pac;

public class PacEngineClientTests
{
    private const string Script = "function FindProxyForURL(url, host) { if (host === 'bad') throw new Error('bad host'); return 'PROXY ' + host + ':3128'; }";
    private static readonly TimeSpan Short = TimeSpan.FromMilliseconds(300);

    /// <summary>Starts real in-process engines, counting the starts and keeping the connections.</summary>
    private sealed class Engines
    {
        public List<PacEngineConnection> Started { get; } = [];

        public PacEngineConnection Start()
        {
            var connection = InMemoryPacEngine.Connect((requests, replies) => new PacEngineServer(PacTestScripts.Options).Run(requests, replies));
            Started.Add(connection);
            return connection;
        }
    }

    [Fact]
    public void ScriptsCompileAndAnswer_AndTheirFailuresKeepTheirReasons()
    {
        using var client = InMemoryPacEngine.Create();
        using var script = client.Compile(Script);

        Assert.Equal("PROXY a.example:3128", script.FindProxyForUrl("https://a.example/", "a.example"));
        var failed = Assert.Throws<ProxySelectionException>(() => script.FindProxyForUrl("https://bad/", "bad"));
        var refused = Assert.Throws<PacScriptException>(() => client.Compile("function FindProxyForURL( {"));

        Assert.StartsWith("the PAC script threw: bad host", failed.Message);
        Assert.StartsWith("the PAC script has a syntax error at line 1", refused.Message);
        Assert.Equal("PROXY b:3128", script.FindProxyForUrl("https://b/", "b"));
    }

    [Fact]
    public void AnEngineThatDoesNotAnswer_IsStopped_AndANewOneStartsAtTheNextExchange()
    {
        var engines = new Engines();
        var silentStopped = false;
        var starts = 0;
        using var client = new PacEngineClient(() =>
        {
            if (starts++ > 0)
            {
                return engines.Start();
            }

            var silent = InMemoryPacEngine.Connect((requests, _) =>
            {
                while (requests.ReadLine() is not null)
                {
                }
            });
            return new PacEngineConnection(silent.Requests, silent.Replies, () => silent.IsRunning, () =>
            {
                silentStopped = true;
                silent.Dispose();
            });
        }, replyTimeout: Short, startTimeout: Short);

        var error = Assert.Throws<PacScriptException>(() => client.Compile(Script));
        using var script = client.Compile(Script);

        Assert.Equal("the PAC engine did not answer within 0.3 s and was stopped", error.Message);
        Assert.True(silentStopped);
        Assert.Equal(2, starts);
        Assert.Equal("PROXY a:3128", script.FindProxyForUrl("https://a/", "a"));
    }

    [Fact]
    public void AnEngineThatStopped_IsStartedAgain_WithTheScriptsStillInUse()
    {
        var engines = new Engines();
        using var client = new PacEngineClient(engines.Start);
        using var first = client.Compile(Script);
        using var second = client.Compile("function FindProxyForURL(url, host) { return 'DIRECT'; }");
        client.Compile("function FindProxyForURL(url, host) { return 'PROXY dropped:1'; }").Dispose();

        engines.Started[0].Dispose();

        Assert.Equal("PROXY a:3128", first.FindProxyForUrl("https://a/", "a"));
        Assert.Equal("DIRECT", second.FindProxyForUrl("https://a/", "a"));
        Assert.Equal(2, engines.Started.Count);
    }

    [Fact]
    public void AnEngineThatDiesDuringAnEvaluation_FailsThatEvaluation_NotTheNext()
    {
        var starts = 0;
        var engines = new Engines();
        using var client = new PacEngineClient(() => starts++ > 0
            ? engines.Start()
            : InMemoryPacEngine.Connect((requests, replies) =>
            {
                requests.ReadLine();
                replies.WriteLine("ok");
                replies.Flush();
                requests.ReadLine();
            }));
        using var script = client.Compile(Script);

        var error = Assert.Throws<ProxySelectionException>(() => script.FindProxyForUrl("https://a/", "a"));

        Assert.Equal("the PAC engine stopped unexpectedly", error.Message);
        Assert.Equal("PROXY a:3128", script.FindProxyForUrl("https://a/", "a"));
    }

    [Fact]
    public void AnEngineAnsweringOutOfTurn_IsStopped()
    {
        var engines = new Engines();
        var starts = 0;
        using var client = new PacEngineClient(() => starts++ > 0
            ? engines.Start()
            : InMemoryPacEngine.Connect((requests, replies) =>
            {
                while (requests.ReadLine() is not null)
                {
                    replies.WriteLine("find MQ==");
                    replies.Flush();
                }
            }));

        var error = Assert.Throws<PacScriptException>(() => client.Compile(Script));
        using var script = client.Compile(Script);

        Assert.Equal("the PAC engine answered out of turn and was stopped", error.Message);
        Assert.Equal("PROXY a:3128", script.FindProxyForUrl("https://a/", "a"));
    }

    [Fact]
    public void AnEngineThatCannotStart_FailsTheCompile_NamingTheExecutable()
    {
        using var client = new PacEngineClient(() => PacEngineProcess.Start(new ProcessStartInfo("/nonexistent/apicast-sidecar-pac")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
        }));

        var error = Assert.Throws<PacScriptException>(() => client.Compile(Script));

        Assert.StartsWith("the PAC engine could not be started (/nonexistent/apicast-sidecar-pac: ", error.Message);
    }

    [Fact]
    public void ADisposedScript_IsDroppedFromTheEngine()
    {
        using var client = InMemoryPacEngine.Create();
        var script = client.Compile(Script);

        script.Dispose();

        var error = Assert.Throws<ProxySelectionException>(() => script.FindProxyForUrl("https://a/", "a"));
        Assert.Equal("the PAC script was replaced", error.Message);
    }

    [Fact]
    public void ADisposedClient_StopsItsEngine_AndAnswersNoMore()
    {
        var engines = new Engines();
        var client = new PacEngineClient(engines.Start);
        var script = client.Compile(Script);

        client.Dispose();

        Assert.False(engines.Started[0].IsRunning);
        var error = Assert.Throws<ProxySelectionException>(() => script.FindProxyForUrl("https://a/", "a"));
        Assert.Equal("the PAC engine is shut down (the sidecar is stopping)", error.Message);
    }
}
