using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ApicastSidecarProxy.Configuration;
using ApicastSidecarProxy.Egress;

namespace ApicastSidecarProxy.Tests.Egress;

public sealed class UpstreamCertificateValidatorTests : IDisposable
{
    private readonly X509Certificate2 _ca;
    private readonly X509Certificate2 _leaf;
    private readonly X509Certificate2 _otherCa;

    public UpstreamCertificateValidatorTests()
    {
        (_ca, var caKey) = CreateCa("CN=Inspecting Proxy CA");
        _otherCa = CreateCa("CN=Unrelated CA").Certificate;
        using (caKey)
        {
            _leaf = Issue(_ca, caKey, "su1.3scale.net");
        }
    }

    [Fact]
    public void NoPolicyError_IsAccepted()
    {
        Assert.True(Validator().Validate(_leaf, null, SslPolicyErrors.None));
    }

    [Fact]
    public void ChainError_ChainingToUpstreamCaFile_IsAccepted()
    {
        Assert.True(Validator(_ca).Validate(_leaf, null, SslPolicyErrors.RemoteCertificateChainErrors));
    }

    [Fact]
    public void ChainError_WithoutExtraTrust_NamesTheFixForAnInspectingProxy()
    {
        var error = Assert.Throws<CertificateRejectedException>(() =>
            Validator().Validate(_leaf, null, SslPolicyErrors.RemoteCertificateChainErrors));

        Assert.Contains("the upstream's certificate (CN=su1.3scale.net, issued by CN=Inspecting Proxy CA) is not trusted", error.Message);
        Assert.Contains("add that CA with UPSTREAM_CA_FILE", error.Message);
        Assert.False(error.AtProxy);
    }

    [Fact]
    public void ChainError_WithAnUnrelatedExtraCa_SaysItChainsToNeither()
    {
        var error = Assert.Throws<CertificateRejectedException>(() =>
            Validator(_otherCa).Validate(_leaf, null, SslPolicyErrors.RemoteCertificateChainErrors));

        Assert.Contains("it chains neither to the system store nor to UPSTREAM_CA_FILE", error.Message);
    }

    [Fact]
    public void NameMismatch_IsRefused_EvenWithTheRightCa()
    {
        var error = Assert.Throws<CertificateRejectedException>(() =>
            Validator(_ca).Validate(_leaf, null, SslPolicyErrors.RemoteCertificateNameMismatch));

        Assert.Contains("does not name the upstream host", error.Message);
    }

    [Fact]
    public void NoCertificate_IsRefused()
    {
        var error = Assert.Throws<CertificateRejectedException>(() =>
            Validator().Validate(null, null, SslPolicyErrors.RemoteCertificateNotAvailable, atProxy: true));

        Assert.Equal("the proxy presented no certificate", error.Message);
        Assert.True(error.AtProxy);
    }

    [Fact]
    public void SkipVerification_AppliesToUpstreams_NeverToAProxy()
    {
        var validator = new UpstreamCertificateValidator(new TlsOptions { SkipVerification = true });

        Assert.True(validator.Validate(_leaf, null, SslPolicyErrors.RemoteCertificateChainErrors));
        Assert.Throws<CertificateRejectedException>(() =>
            validator.Validate(_leaf, null, SslPolicyErrors.RemoteCertificateChainErrors, atProxy: true));
    }

    public void Dispose()
    {
        _ca.Dispose();
        _leaf.Dispose();
        _otherCa.Dispose();
    }

    private static UpstreamCertificateValidator Validator(params X509Certificate2[] extraTrust) =>
        new(new TlsOptions { ExtraTrustedCertificates = [.. extraTrust] });

    private static (X509Certificate2 Certificate, ECDsa Key) CreateCa(string name)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(name, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        return (request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30)), key);
    }

    private static X509Certificate2 Issue(X509Certificate2 ca, ECDsa caKey, string host)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={host}", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(host);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var signer = X509Certificate2.CreateFromPem(ca.ExportCertificatePem()).CopyWithPrivateKey(caKey);
        return request.Create(signer, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(7), [1, 2, 3, 4]);
    }
}
