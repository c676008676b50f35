using ApicastSidecarProxy.FunctionalTests.Infrastructure;

namespace ApicastSidecarProxy.FunctionalTests.EnterpriseProxies;

/// <summary>Two NTLM-verifying CONNECT proxies for CORP\alice: one offering NTLM, one offering "Negotiate, NTLM" as IIS/ISA do.</summary>
public sealed class NtlmProxyFixture : IAsyncLifetime
{
    public const string Domain = "CORP";
    public const string User = "alice";
    public const string Password = "Ntlm-s3cret-pw";

    public NtlmConnectProxy NtlmOnly { get; private set; } = null!;

    public NtlmConnectProxy NegotiateThenNtlm { get; private set; } = null!;

    public Task InitializeAsync()
    {
        NtlmOnly = NtlmConnectProxy.Start(Domain, User, Password);
        NegotiateThenNtlm = NtlmConnectProxy.Start(Domain, User, Password, "Negotiate", "NTLM");
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await NtlmOnly.DisposeAsync();
        await NegotiateThenNtlm.DisposeAsync();
    }
}
