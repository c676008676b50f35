namespace ApicastSidecarProxy.FunctionalTests.Infrastructure;

/// <summary>
/// The chain a customer has, on loopback: a TLS upstream imitating 3scale (certificate from a test CA, for
/// "localhost"), and two real forward proxies with Basic authentication. Shared by every functional test; each test
/// starts its own sidecar in front of it.
/// </summary>
public sealed class ProxyChainFixture : IAsyncLifetime
{
    public const string TinyproxyUser = "tiny";
    public const string TinyproxyPassword = "tiny-s3cret-pw";
    public const string SquidUser = "bob";

    /// <summary>Characters that must be percent-encoded in a proxy URL: '@' and '%'.</summary>
    public const string SquidPassword = "p@ss%w0rd-squid";

    public TestCertificateAuthority Ca { get; } = new();

    public FakeThreescaleUpstream Upstream { get; private set; } = null!;

    public TinyproxyProcess Tinyproxy { get; private set; } = null!;

    public SquidProcess Squid { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Upstream = await FakeThreescaleUpstream.StartHttpsAsync(Ca.ServerCertificate);
        var tinyproxy = TinyproxyProcess.StartAsync(TinyproxyUser, TinyproxyPassword);
        var squid = SquidProcess.StartAsync(SquidUser, SquidPassword);
        try
        {
            await Task.WhenAll(tinyproxy, squid);
        }
        finally
        {
            // Whichever did start is kept, so DisposeAsync stops it even when the other failed.
            Tinyproxy = tinyproxy.IsCompletedSuccessfully ? tinyproxy.Result : null!;
            Squid = squid.IsCompletedSuccessfully ? squid.Result : null!;
        }
    }

    /// <summary>The proxy by name, for theories that run once per proxy.</summary>
    public ForwardProxyProcess Proxy(string name) => name switch
    {
        "tinyproxy" => Tinyproxy,
        "squid" => Squid,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "tinyproxy or squid"),
    };

    /// <summary>
    /// Settings for a sidecar whose two routes reach the upstream through <paramref name="proxy"/>, trusting the test CA.
    /// </summary>
    public Dictionary<string, string> SidecarEnvironment(ForwardProxyProcess proxy) => new()
    {
        ["THREESCALE_PORTAL_ENDPOINT"] = Upstream.BaseUri.ToString(),
        ["BACKEND_ENDPOINT_OVERRIDE"] = Upstream.BaseUri.ToString(),
        ["https_proxy"] = proxy.ProxyUrlWithCredentials,
        ["UPSTREAM_CA_FILE"] = Ca.CaPemPath,
    };

    /// <summary>
    /// Settings for a sidecar whose routes go through <paramref name="silent"/>, a proxy that accepts TCP and never
    /// answers, with a 1 s CONNECT_TIMEOUT.
    /// </summary>
    public Dictionary<string, string> SidecarEnvironment(MisbehavingProxy silent)
    {
        var environment = SidecarEnvironment(Tinyproxy);
        environment["https_proxy"] = silent.ProxyUri.ToString();
        environment["CONNECT_TIMEOUT"] = "1";
        return environment;
    }

    public async Task DisposeAsync()
    {
        try
        {
            await (Squid?.DisposeAsync() ?? ValueTask.CompletedTask);
            await (Tinyproxy?.DisposeAsync() ?? ValueTask.CompletedTask);
            await (Upstream?.DisposeAsync() ?? ValueTask.CompletedTask);
        }
        finally
        {
            Ca.Dispose();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ProxyChainCollection : ICollectionFixture<ProxyChainFixture>
{
    public const string Name = "proxy chain";
}
