using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Security.Cryptography.X509Certificates;

namespace ApicastSidecarProxy.Egress;

/// <summary>
/// When the certificate each upstream host presented in its last TLS handshake (traffic or readiness probe) expires,
/// so an alert fires weeks before the handshakes start failing. Written once per handshake, never per request.
/// </summary>
public sealed class UpstreamCertificateExpiry
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> _notAfter = new(StringComparer.OrdinalIgnoreCase);

    public void Record(string host, X509Certificate certificate)
    {
        if (certificate is X509Certificate2 full)
        {
            _notAfter[host] = full.NotAfter;
            return;
        }

        using var copy = new X509Certificate2(certificate);
        _notAfter[host] = copy.NotAfter;
    }

    /// <summary>The expiry of the certificate <paramref name="host"/> last presented; null before its first handshake.</summary>
    public DateTimeOffset? NotAfter(string host) => _notAfter.TryGetValue(host, out var notAfter) ? notAfter : null;

    /// <summary>Each route's expiry in unix seconds, tagged with the route; a route not yet seen is left out.</summary>
    public IEnumerable<Measurement<double>> Measure(IEnumerable<(string Route, string Host)> routes) =>
        from route in routes
        let notAfter = NotAfter(route.Host)
        where notAfter is not null
        select new Measurement<double>(notAfter.Value.ToUnixTimeSeconds(), new KeyValuePair<string, object?>("route", route.Route));
}
