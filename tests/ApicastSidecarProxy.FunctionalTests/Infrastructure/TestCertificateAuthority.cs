using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ApicastSidecarProxy.FunctionalTests.Infrastructure;

/// <summary>
/// An in-memory certificate authority for tests: a self-signed CA and a server certificate
/// for <c>localhost</c> / <c>127.0.0.1</c> issued by it. The CA certificate is also written as PEM
/// to <see cref="CaPemPath"/> (for curl <c>--cacert</c> or <c>SSL_CERT_FILE</c>).
/// </summary>
public sealed class TestCertificateAuthority : IDisposable
{
    private readonly string _directory;

    /// <param name="name">The CA's common name.</param>
    /// <param name="serverName">The DNS name the server certificate is for; "localhost" also gets 127.0.0.1.</param>
    public TestCertificateAuthority(string name = "Test CA", string serverName = "localhost")
    {
        var now = DateTimeOffset.UtcNow;
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        CaCertificate = CreateCa(name, caKey, now);
        ServerCertificate = IssueServerCertificate(CaCertificate, caKey, now, serverName);
        _directory = Directory.CreateTempSubdirectory("test-ca-").FullName;
        CaPemPath = Path.Combine(_directory, "ca.pem");
        File.WriteAllText(CaPemPath, CaCertificate.ExportCertificatePem() + "\n");
    }

    /// <summary>The CA certificate (public part only).</summary>
    public X509Certificate2 CaCertificate { get; }

    /// <summary>Server certificate (by default for localhost + 127.0.0.1), with its private key, usable by Kestrel.</summary>
    public X509Certificate2 ServerCertificate { get; }

    /// <summary>Path of the CA certificate in PEM form.</summary>
    public string CaPemPath { get; }

    /// <summary>Creates another CA that has nothing in common with any other (for "untrusted upstream" tests).</summary>
    public static TestCertificateAuthority CreateUnrelated(string name = "Unrelated Test CA") => new(name);

    /// <summary>
    /// A validation callback that accepts a server certificate only when its name matches and
    /// its chain builds to this CA alone (the system trust store is ignored).
    /// </summary>
    public RemoteCertificateValidationCallback CreateValidationCallback() =>
        (_, certificate, _, errors) => certificate is not null
            && (errors & SslPolicyErrors.RemoteCertificateNameMismatch) == 0
            && (errors & SslPolicyErrors.RemoteCertificateNotAvailable) == 0
            && IsIssuedByThisCa(certificate);

    /// <summary>True when <paramref name="certificate"/> chains to this CA (custom trust only).</summary>
    public bool IsIssuedByThisCa(X509Certificate certificate)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(CaCertificate);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return chain.Build(leaf);
    }

    public void Dispose()
    {
        ServerCertificate.Dispose();
        CaCertificate.Dispose();
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
    }

    private static X509Certificate2 CreateCa(string name, ECDsa key, DateTimeOffset now)
    {
        var request = new CertificateRequest($"CN={name}, O=ApicastSidecarProxy tests", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        using var withKey = request.CreateSelfSigned(now.AddDays(-2), now.AddDays(60));
        return X509CertificateLoader.LoadCertificate(withKey.RawData);
    }

    private static X509Certificate2 IssueServerCertificate(X509Certificate2 ca, ECDsa caKey, DateTimeOffset now, string serverName)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={serverName}", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName(serverName);
        if (serverName == "localhost") san.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid("1.3.6.1.5.5.7.3.1", "Server Authentication")], false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));

        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        using var issued = request.Create(ca.SubjectName, X509SignatureGenerator.CreateForECDsa(caKey),
            now.AddDays(-1), now.AddDays(30), serial);
        using var withKey = issued.CopyWithPrivateKey(key);
        // Round-trip through PKCS#12 so the key is a persisted, exportable one that SslStream accepts everywhere.
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), password: null);
    }
}
