using ApicastSidecarProxy.Configuration;
using ApicastSidecarProxy.Egress;

namespace ApicastSidecarProxy.Tests.Egress;

public class ProxyCredentialLookupTests
{
    private static readonly Uri Proxy = new("http://proxy.corp:3128/");

    [Theory]
    [InlineData(ProxyAuthScheme.Auto, "Negotiate", true)]
    [InlineData(ProxyAuthScheme.Auto, "Basic", true)]
    [InlineData(ProxyAuthScheme.Ntlm, "Negotiate", false)]
    [InlineData(ProxyAuthScheme.Ntlm, "NTLM", true)]
    [InlineData(ProxyAuthScheme.Basic, "Digest", false)]
    [InlineData(ProxyAuthScheme.Digest, "Digest", true)]
    [InlineData(ProxyAuthScheme.Negotiate, "NTLM", false)]
    public void ForcedScheme_DeclinesEveryOtherScheme(ProxyAuthScheme forced, string asked, bool answered)
    {
        var lookup = new ProxyCredentialLookup(Options(ProxyCredentials.WithPassword("bob", "CORP", "pw"), forced));
        var path = OutboundPath.Begin();

        var credential = lookup.GetCredential(Proxy, asked);

        Assert.Equal(answered, credential is not null);
        Assert.Equal(answered ? asked : null, path.ProxySchemeTried);
    }

    [Fact]
    public async Task TheSchemeAnswered_IsRecordedOnTheRequestsOwnPath_NotSharedWithOthers()
    {
        var lookup = new ProxyCredentialLookup(Options(ProxyCredentials.WithPassword("bob", "CORP", "pw"), ProxyAuthScheme.Auto));

        var (first, second) = (await Answer(lookup, "NTLM"), await Answer(lookup, "Basic"));

        Assert.Equal(("NTLM", "Basic"), (first.ProxySchemeTried, second.ProxySchemeTried));
    }

    private static Task<OutboundPath> Answer(ProxyCredentialLookup lookup, string scheme) => Task.Run(() =>
    {
        var path = OutboundPath.Begin();
        lookup.GetCredential(Proxy, scheme);
        return path;
    });

    [Fact]
    public void AProxyNamedByThePacScript_GetsTheGeneralCredentials()
    {
        var lookup = new ProxyCredentialLookup(new ProxyOptions
        {
            Pac = new PacOptions("/etc/proxy.pac", TimeSpan.Zero, ProxyCredentials.WithPassword("carol", null, "pw")),
        });

        Assert.Equal("carol", lookup.GetCredential(new Uri("http://any-proxy.corp:8080/"), "Basic")?.UserName);
    }

    [Fact]
    public void NegotiateWithoutPassword_UsesTheKerberosDefaultCredentials()
    {
        var lookup = new ProxyCredentialLookup(new ProxyOptions { Https = new ProxyEndpoint(Proxy, null, "https_proxy") });

        Assert.Same(System.Net.CredentialCache.DefaultNetworkCredentials, lookup.GetCredential(Proxy, "Negotiate"));
        Assert.Null(lookup.GetCredential(Proxy, "Basic"));
    }

    [Fact]
    public void DomainUser_ReachesTheHandlerSplit()
    {
        var lookup = new ProxyCredentialLookup(Options(ProxyCredentials.WithPassword("bob", "CORP", "pw"), ProxyAuthScheme.Auto));

        var credential = lookup.GetCredential(Proxy, "NTLM")!;

        Assert.Equal(("CORP", "bob", "pw"), (credential.Domain, credential.UserName, credential.Password));
    }

    [Fact]
    public void RotatedPasswordFile_IsUsedForTheNextChallenge()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, "first-password\n");
            var credentials = ProxyCredentials.WithPasswordFile("bob", null, file);
            var lookup = new ProxyCredentialLookup(Options(credentials, ProxyAuthScheme.Auto));
            Assert.Equal("first-password", lookup.GetCredential(Proxy, "Basic")!.Password);

            File.WriteAllText(file, "second-password-longer\n");
            File.SetLastWriteTimeUtc(file, DateTime.UtcNow.AddSeconds(5));

            Assert.Equal("second-password-longer", lookup.GetCredential(Proxy, "Basic")!.Password);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void PasswordFileCaughtMidRewrite_Empty_KeepsTheLastPassword_UntilWritten()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, "first-password\n");
            var credentials = ProxyCredentials.WithPasswordFile("bob", null, file);

            File.WriteAllText(file, ""); // `echo pw > file` truncates before it writes
            File.SetLastWriteTimeUtc(file, DateTime.UtcNow.AddSeconds(5));
            var meanwhile = credentials.Current().Password;
            File.WriteAllText(file, "second-password\n");
            File.SetLastWriteTimeUtc(file, DateTime.UtcNow.AddSeconds(10));

            Assert.Equal("first-password", meanwhile);
            Assert.Equal("second-password", credentials.Current().Password);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void UnreadablePasswordFile_KeepsTheLastPassword()
    {
        var file = Path.GetTempFileName();
        File.WriteAllText(file, "kept-password");
        var credentials = ProxyCredentials.WithPasswordFile("bob", null, file);

        File.Delete(file);

        Assert.Equal("kept-password", credentials.Current().Password);
    }

    private static ProxyOptions Options(ProxyCredentials credentials, ProxyAuthScheme scheme) => new()
    {
        Https = new ProxyEndpoint(Proxy, credentials, "https_proxy"),
        AuthScheme = scheme,
    };
}
