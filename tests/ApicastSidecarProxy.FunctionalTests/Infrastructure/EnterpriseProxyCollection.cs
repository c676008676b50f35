namespace ApicastSidecarProxy.FunctionalTests.Infrastructure;

/// <summary>
/// The enterprise-proxy tests (Digest, NTLM, Kerberos, HTTPS and SOCKS proxies): their own upstream and proxies, so they
/// run beside the <see cref="ProxyChainCollection"/> rather than after it. Each class starts its own rig.
/// </summary>
[CollectionDefinition(Name)]
public sealed class EnterpriseProxyCollection : ICollectionFixture<ProxyChainFixture>
{
    public const string Name = "enterprise proxies";
}
