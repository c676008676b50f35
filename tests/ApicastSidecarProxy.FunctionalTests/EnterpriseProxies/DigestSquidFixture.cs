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
        try
        {
            await Task.WhenAll(digestOnly, digestAndBasic);
        }
        catch
        {
            // xunit does not dispose a fixture whose start failed: stop the squid that did start.
            foreach (var started in new[] { digestOnly, digestAndBasic }.Where(t => t.IsCompletedSuccessfully))
            {
                await started.Result.DisposeAsync();
            }

            throw;
        }

        DigestOnly = digestOnly.Result;
        DigestAndBasic = digestAndBasic.Result;
    }

    public async Task DisposeAsync()
    {
        await DigestOnly.DisposeAsync();
        await DigestAndBasic.DisposeAsync();
    }
}
