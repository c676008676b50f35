using ApicastSidecarProxy.FunctionalTests.Infrastructure;

namespace ApicastSidecarProxy.FunctionalTests.EnterpriseProxies;

/// <summary>Two squids checking Digest with digest_file_auth: one offering only Digest, one offering Digest then Basic.</summary>
public sealed class DigestSquidFixture : IAsyncLifetime
{
    public const string User = "dora";
    public const string Password = "d1gest-Passw0rd";

    public SquidProcess DigestOnly { get; private set; } = null!;

    public SquidProcess DigestAndBasic { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var digestOnly = SquidProcess.StartAsync(User, Password, SquidAuthScheme.Digest);
        var digestAndBasic = SquidProcess.StartAsync(User, Password, SquidAuthScheme.Digest, SquidAuthScheme.Basic);
        DigestOnly = await digestOnly;
        DigestAndBasic = await digestAndBasic;
    }

    public async Task DisposeAsync()
    {
        await DigestOnly.DisposeAsync();
        await DigestAndBasic.DisposeAsync();
    }
}
