using System.Diagnostics;
using ApicastSidecarProxy.FunctionalTests.Infrastructure;

namespace ApicastSidecarProxy.FunctionalTests.InfrastructureTests;

public sealed class TestCertificateAuthorityTests
{
    [Fact]
    public void Server_certificate_has_a_private_key_and_chains_only_to_its_own_CA()
    {
        using var ca = new TestCertificateAuthority();
        using var other = TestCertificateAuthority.CreateUnrelated();

        Assert.True(ca.ServerCertificate.HasPrivateKey);
        Assert.True(ca.IsIssuedByThisCa(ca.ServerCertificate));
        Assert.False(other.IsIssuedByThisCa(ca.ServerCertificate));
        Assert.StartsWith("-----BEGIN CERTIFICATE-----", File.ReadAllText(ca.CaPemPath));
    }

    [Fact]
    public async Task Curl_trusts_the_upstream_with_the_CA_PEM_file()
    {
        using var ca = new TestCertificateAuthority();
        await using var upstream = await FakeThreescaleUpstream.StartHttpsAsync(ca.ServerCertificate);
        var curl = ExecutableLocator.Find("curl", "Install it: apt-get install curl.");
        var startInfo = new ProcessStartInfo(curl)
        {
            ArgumentList = { "-sS", "--noproxy", "*", "--cacert", ca.CaPemPath, "-o", "/dev/null", "-w", "%{http_code}",
                upstream.Url("/admin/api/accounts.xml").ToString() },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };

        using var process = Process.Start(startInfo)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var status = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.True(process.ExitCode == 0, $"curl exit {process.ExitCode}: {await stderr}");
        Assert.Equal("403", status);
    }
}
