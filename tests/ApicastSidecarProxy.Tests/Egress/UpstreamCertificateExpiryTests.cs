using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ApicastSidecarProxy.Egress;

namespace ApicastSidecarProxy.Tests.Egress;

public class UpstreamCertificateExpiryTests
{
    [Fact]
    public void EachRoute_GetsTheExpiryOfItsHostsLastCertificate_InUnixSeconds()
    {
        var expiry = new UpstreamCertificateExpiry();
        var notAfter = new DateTimeOffset(2027, 3, 1, 12, 0, 0, TimeSpan.Zero);
        using var older = Certificate(notAfter.AddDays(-30));
        using var renewed = Certificate(notAfter);

        expiry.Record("SU1.3scale.net", older);
        expiry.Record("su1.3scale.net", renewed); // the last handshake wins; host names ignore case

        var measurements = expiry.Measure([("backend", "su1.3scale.net"), ("portal", "tenant-admin.3scale.net")]).ToList();

        var backend = Assert.Single(measurements); // the portal presented nothing yet
        Assert.Equal(notAfter.ToUnixTimeSeconds(), backend.Value);
        Assert.Equal(new KeyValuePair<string, object?>("route", "backend"), Assert.Single(backend.Tags.ToArray()));
    }

    private static X509Certificate2 Certificate(DateTimeOffset notAfter)
    {
        using var key = ECDsa.Create();
        var request = new CertificateRequest("CN=su1.3scale.net", key, HashAlgorithmName.SHA256);
        return request.CreateSelfSigned(notAfter.AddYears(-1), notAfter);
    }
}
