using ApicastSidecarProxy.Egress;
using ApicastSidecarProxy.Egress.Pac;

namespace ApicastSidecarProxy.Tests.Egress.Pac;

public class PacEngineProcessTests
{
    private static readonly string[] Inherited =
        ["PATH", "HOME", "TZ", "LANG", "LC_ALL", "LOCALDOMAIN", "RES_OPTIONS", "HOSTALIASES", "DOTNET_ROOT"];

    [Fact]
    public void NativeAot_StartsTheEngineExecutableBesideTheSidecar()
    {
        var startInfo = PacEngineProcess.StartInfo("/app", "/app/apicast-sidecar-proxy");

        Assert.Equal("/app/apicast-sidecar-pac", startInfo.FileName);
        Assert.Empty(startInfo.ArgumentList);
    }

    [Fact]
    public void UnderTheDotnetHost_StartsTheEngineAssemblyThroughTheSameHost()
    {
        var directory = AppContext.BaseDirectory;

        var startInfo = PacEngineProcess.StartInfo(directory, "/usr/share/dotnet/dotnet");

        Assert.Equal("/usr/share/dotnet/dotnet", startInfo.FileName);
        Assert.Equal([Path.Combine(directory, "apicast-sidecar-pac.dll")], startInfo.ArgumentList);
    }

    [Fact]
    public void TheEngineInheritsNoVariableButThoseItNeeds()
    {
        // This process has many more (the test host's, at least DOTNET_ ones and whatever CI sets).
        var startInfo = PacEngineProcess.StartInfo("/app", "/app/apicast-sidecar-proxy");

        Assert.All(startInfo.Environment.Keys, name => Assert.Contains(name, Inherited));
        Assert.Equal(Environment.GetEnvironmentVariable("PATH"), startInfo.Environment["PATH"]);
    }

    [Fact]
    public void TheRealEngine_AnswersThroughItsPipes_AndIsStartedAgainAfterItStopped()
    {
        var processes = new List<PacEngineConnection>();
        using var client = new PacEngineClient(() =>
        {
            var connection = PacEngineProcess.Start(PacEngineProcess.StartInfo(AppContext.BaseDirectory, Environment.ProcessPath));
            processes.Add(connection);
            return connection;
        });
        using var script = client.Compile("function FindProxyForURL(url, host) { return isPlainHostName(host) ? 'DIRECT' : 'PROXY p:3128'; }");

        Assert.Equal("PROXY p:3128", script.FindProxyForUrl("https://a.example/", "a.example"));
        processes[0].Dispose();
        Assert.Equal("DIRECT", script.FindProxyForUrl("https://intranet/", "intranet"));
        Assert.Equal(2, processes.Count);
        using var failing = client.Compile("function FindProxyForURL(url, host) { throw new Error('no list'); }");
        var error = Assert.Throws<ProxySelectionException>(() => failing.FindProxyForUrl("https://a.example/", "a.example"));
        Assert.StartsWith("the PAC script threw: no list", error.Message);
    }
}
