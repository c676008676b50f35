using ApicastSidecarProxy.FunctionalTests.Infrastructure;

namespace ApicastSidecarProxy.FunctionalTests.EnterpriseProxies;

/// <summary>A throw-away Kerberos realm with its KDC, and squid accepting Negotiate (Kerberos) tickets for HTTP/localhost.</summary>
public sealed class KerberosProxyFixture : IAsyncLifetime
{
    public KerberosRealm Realm { get; private set; } = null!;

    public SquidProcess Squid { get; private set; } = null!;

    /// <summary>The proxy URL the sidecar uses: the host name must be localhost, the host of the SPN HTTP/localhost.</summary>
    public string ProxyUrl => $"http://{KerberosRealm.ServiceHost}:{Squid.Port}";

    public async Task InitializeAsync()
    {
        Realm = await KerberosRealm.StartAsync();
        Squid = await SquidProcess.StartWithKerberosAsync(Realm);
    }

    public async Task DisposeAsync()
    {
        if (Squid is not null) await Squid.DisposeAsync();
        if (Realm is not null) await Realm.DisposeAsync();
    }
}
