using System.Text;
using ApicastSidecarProxy.Configuration;
using ApicastSidecarProxy.Egress.Pac;
using Microsoft.Extensions.Time.Testing;

namespace ApicastSidecarProxy.Tests.Egress.Pac;

public sealed class PacScriptSourceTests : IDisposable
{
    private const string OldScript = "function FindProxyForURL(url, host) { return 'PROXY old:3128'; }";
    private const string NewScript = "function FindProxyForURL(url, host) { return 'PROXY new:3128'; }";
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private readonly string _directory = Directory.CreateTempSubdirectory("pac-tests-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static string Proxy(PacScriptSource source) =>
        string.Join(", ", source.Resolver.Resolve(new Uri("https://api.example.com/")));

    private string WriteFile(string text)
    {
        var path = Path.Combine(_directory, "proxy.pac");
        File.WriteAllText(path, text);
        return path;
    }

    private static async Task<ConfigurationException> LoadFails(string location)
    {
        var error = await Assert.ThrowsAsync<ConfigurationException>(() => PacScriptSource.LoadAsync(location, TimeSpan.Zero, InMemoryPacEngine.Options));
        Assert.Equal(SettingNames.ProxyPac, error.Variable);
        return error;
    }

    [Fact]
    public async Task LocalPath_IsLoaded()
    {
        await using var source = await PacScriptSource.LoadAsync(WriteFile(OldScript), TimeSpan.Zero, InMemoryPacEngine.Options);

        Assert.Equal("http://old:3128", Proxy(source));
    }

    [Fact]
    public async Task FileUrl_IsLoaded_WithAByteOrderMark()
    {
        var path = WriteFile("");
        File.WriteAllText(path, OldScript, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true));

        await using var source = await PacScriptSource.LoadAsync(new Uri(path).AbsoluteUri, TimeSpan.Zero, InMemoryPacEngine.Options);

        Assert.Equal("http://old:3128", Proxy(source));
        Assert.Equal(path, source.Location);
    }

    [Fact]
    public async Task HttpUrl_IsFetched_WithUserInfoAsBasicAuth()
    {
        await using var server = new LoopbackHttpServer(() => LoopbackHttpServer.Response.Text(OldScript));
        var url = $"http://pac:s3cret@127.0.0.1:{server.Url.Port}/proxy.pac?token=abc";

        await using var source = await PacScriptSource.LoadAsync(url, TimeSpan.Zero, InMemoryPacEngine.Options);

        Assert.Equal("http://old:3128", Proxy(source));
        var head = Assert.Single(server.RequestHeads);
        Assert.StartsWith("GET /proxy.pac?token=abc HTTP/1.1\r\n", head);
        Assert.Contains($"Authorization: Basic {Convert.ToBase64String("pac:s3cret"u8.ToArray())}\r\n", head);
        Assert.Equal($"http://127.0.0.1:{server.Url.Port}/proxy.pac", source.Location);
    }

    [Fact]
    public async Task HttpError_FailsStartUp_WithoutUserInfoOrQuery()
    {
        await using var server = new LoopbackHttpServer(() => LoopbackHttpServer.Response.Text("not here", 404));

        var error = await LoadFails($"http://pac:s3cret@127.0.0.1:{server.Url.Port}/proxy.pac?token=abc");

        Assert.Equal($"PROXY_PAC: cannot read the PAC script from http://127.0.0.1:{server.Url.Port}/proxy.pac: the server answered 404 Status", error.Message);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ScriptOverOneMebibyte_FailsStartUp(bool sendContentLength)
    {
        var body = Encoding.ASCII.GetBytes("//" + new string('x', PacScriptFetcher.MaxScriptBytes));
        await using var server = new LoopbackHttpServer(() => new LoopbackHttpServer.Response(200, body, sendContentLength));

        var error = await LoadFails(server.Url.AbsoluteUri);

        Assert.EndsWith("the script is larger than 1 MiB", error.Message);
    }

    [Fact]
    public async Task OversizedLocalFile_FailsStartUp()
    {
        var error = await LoadFails(WriteFile("//" + new string('x', PacScriptFetcher.MaxScriptBytes)));

        Assert.EndsWith("the script is larger than 1 MiB", error.Message);
    }

    [Fact]
    public async Task UnreachableServer_FailsStartUp()
    {
        int port;
        await using (var server = new LoopbackHttpServer(() => LoopbackHttpServer.Response.Text(OldScript)))
        {
            port = server.Url.Port;
        }

        var error = await LoadFails($"http://127.0.0.1:{port}/proxy.pac");

        Assert.StartsWith($"PROXY_PAC: cannot read the PAC script from http://127.0.0.1:{port}/proxy.pac: ", error.Message);
    }

    [Fact]
    public async Task MissingFile_FailsStartUp()
    {
        var path = Path.Combine(_directory, "missing.pac");

        var error = await LoadFails(path);

        Assert.Equal($"PROXY_PAC: cannot read the PAC script from {path}: no such file", error.Message);
    }

    [Fact]
    public async Task BrokenScript_FailsStartUp()
    {
        var error = await LoadFails(WriteFile("function FindProxyForURL(url, host) {"));

        Assert.StartsWith("PROXY_PAC: the PAC script has a syntax error at line 1, column", error.Message);
    }

    [Theory]
    [InlineData("ftp://example.com/proxy.pac")]
    [InlineData("http://")]
    public async Task UnsupportedLocation_FailsStartUp(string location)
    {
        await LoadFails(location);
    }

    [Fact]
    public async Task Refresh_ReplacesAChangedScript_AndKeepsTheOldOneWhenTheNewFails()
    {
        var time = new FakeTimeProvider();
        var interval = TimeSpan.FromMinutes(5);
        var failed = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var replaced = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = new LoopbackHttpServer(() => LoopbackHttpServer.Response.Text(OldScript));
        await using var source = await PacScriptSource.LoadAsync(server.Url.AbsoluteUri, interval, InMemoryPacEngine.Options with { Time = time },
            onReplaced: () => replaced.TrySetResult(), onRefreshFailed: reason => failed.TrySetResult(reason));
        Assert.Equal("http://old:3128", Proxy(source));

        server.Respond = () => LoopbackHttpServer.Response.Text("function FindProxyForURL(url, host) { return 'PROXY broken:3128' +; }");
        time.Advance(interval);
        var reason = await failed.Task.WaitAsync(Bound);

        Assert.StartsWith("the PAC script has a syntax error at line 1", reason);
        Assert.EndsWith("; the previous script stays in use", reason);
        Assert.Equal("http://old:3128", Proxy(source));
        Assert.False(replaced.Task.IsCompleted);

        server.Respond = () => LoopbackHttpServer.Response.Text(NewScript);
        time.Advance(interval);
        await replaced.Task.WaitAsync(Bound);

        Assert.Equal("http://new:3128", Proxy(source));
    }

    [Fact]
    public async Task Refresh_OfAnUnchangedScript_KeepsTheCompiledOne()
    {
        var calls = 0;
        await using var server = new LoopbackHttpServer(() => LoopbackHttpServer.Response.Text(OldScript));
        await using var source = await PacScriptSource.LoadAsync(server.Url.AbsoluteUri, TimeSpan.Zero, InMemoryPacEngine.Options,
            onReplaced: () => calls++, onRefreshFailed: _ => calls++);
        var script = source.Resolver.Script;

        await source.RefreshAsync(CancellationToken.None);

        Assert.Same(script, source.Resolver.Script);
        Assert.Equal(0, calls);
        Assert.Equal(2, server.RequestHeads.Count);
    }

    [Fact]
    public async Task AScriptThatFailsForARequiredDestination_IsRefusedAtLoad_AndNotTakenOnRefresh()
    {
        const string FailsForThePortal = """
            function FindProxyForURL(url, host) {
              if (host === "portal.example") throw new Error("no portal here");
              return "PROXY new:3128";
            }
            """;
        var options = InMemoryPacEngine.Options with { RequiredDestinations = [new Uri("https://portal.example/")] };
        var failures = new List<string>();
        await using var server = new LoopbackHttpServer(() => LoopbackHttpServer.Response.Text(FailsForThePortal));

        var refused = await Assert.ThrowsAsync<ConfigurationException>(() =>
            PacScriptSource.LoadAsync(server.Url.AbsoluteUri, TimeSpan.Zero, options));
        server.Respond = () => LoopbackHttpServer.Response.Text(OldScript);
        await using var source = await PacScriptSource.LoadAsync(server.Url.AbsoluteUri, TimeSpan.Zero, options,
            onRefreshFailed: failures.Add);
        server.Respond = () => LoopbackHttpServer.Response.Text(FailsForThePortal);
        await source.RefreshAsync(CancellationToken.None);

        Assert.Contains("no proxy list for portal.example", refused.Message);
        Assert.Contains("no portal here", refused.Message);
        Assert.Contains("no proxy list for portal.example", Assert.Single(failures));
        Assert.Equal("http://old:3128", Proxy(source));
    }

    [Fact]
    public async Task Refresh_ThatCannotFetch_KeepsTheOldScript()
    {
        var failures = new List<string>();
        await using var server = new LoopbackHttpServer(() => LoopbackHttpServer.Response.Text(OldScript));
        await using var source = await PacScriptSource.LoadAsync(server.Url.AbsoluteUri, TimeSpan.Zero, InMemoryPacEngine.Options,
            onRefreshFailed: failures.Add);
        server.Respond = () => LoopbackHttpServer.Response.Text("gone", 503);

        await source.RefreshAsync(CancellationToken.None);

        Assert.Equal($"cannot read the PAC script from {server.Url.AbsoluteUri}: the server answered 503 Status; the previous script stays in use",
            Assert.Single(failures));
        Assert.Equal("http://old:3128", Proxy(source));
    }

    [Fact]
    public async Task Dispose_StopsTheRefreshLoop_EvenWhenACallbackThrows()
    {
        var time = new FakeTimeProvider();
        var interval = TimeSpan.FromMinutes(1);
        var failures = 0;
        var failedTwice = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var path = WriteFile(OldScript);
        var source = await PacScriptSource.LoadAsync(path, interval, InMemoryPacEngine.Options with { Time = time },
            onRefreshFailed: _ =>
            {
                if (Interlocked.Increment(ref failures) == 2)
                {
                    failedTwice.TrySetResult();
                }

                throw new InvalidOperationException("a broken callback");
            });
        File.Delete(path);

        time.Advance(interval);
        await failedTwice.Task.WaitAsync(Bound);
        await source.DisposeAsync().AsTask().WaitAsync(Bound);
        time.Advance(interval);

        Assert.Equal(2, failures);
        Assert.Equal("http://old:3128", Proxy(source));
    }
}
