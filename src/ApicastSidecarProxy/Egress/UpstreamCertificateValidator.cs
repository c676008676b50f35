using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ApicastSidecarProxy.Configuration;

namespace ApicastSidecarProxy.Egress;

/// <summary>
/// Trusts what the system store trusts, plus certificates chaining to the extra CAs of UPSTREAM_CA_FILE, for upstreams
/// and https:// proxies alike. The extra CAs add trust; they never replace the system store, and the host name must
/// match either way.
/// </summary>
public sealed class UpstreamCertificateValidator(TlsOptions options)
{
    private static readonly Oid ServerAuthentication = new("1.3.6.1.5.5.7.3.1", "Server Authentication");

    /// <summary>Accepts the certificate, or throws <see cref="CertificateRejectedException"/> saying why not.</summary>
    /// <param name="atProxy">The handshake is with an https:// proxy rather than with the upstream.</param>
    public bool Validate(X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors, bool atProxy = false)
    {
        var peer = atProxy ? "proxy" : "upstream";
        // Skipping is for upstreams only: an https:// proxy's TLS carries the proxy credentials.
        if ((options.SkipVerification && !atProxy) || errors == SslPolicyErrors.None)
        {
            return true;
        }

        if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
        {
            throw new CertificateRejectedException($"the {peer} presented no certificate", atProxy);
        }

        using var leaf = new X509Certificate2(certificate);
        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
        {
            throw new CertificateRejectedException(
                $"the {peer}'s certificate ({leaf.Subject}, issued by {leaf.Issuer}) does not name the {peer} host", atProxy);
        }

        var statuses = ChainStatuses(chain);
        if (options.ExtraTrustedCertificates.Count > 0)
        {
            using var customChain = BuildWithExtraTrust(leaf, chain);
            if (customChain.Build(leaf))
            {
                return true;
            }

            statuses = ChainStatuses(customChain);
        }

        throw new CertificateRejectedException(
            $"the {peer}'s certificate ({leaf.Subject}, issued by {leaf.Issuer}) is not trusted: {statuses}" +
            (options.ExtraTrustedCertificates.Count > 0
                ? $"; it chains neither to the system store nor to {SettingNames.UpstreamCaFile}"
                : $"; if a TLS-inspecting proxy signs it, add that CA with {SettingNames.UpstreamCaFile}"), atProxy);
    }

    private X509Chain BuildWithExtraTrust(X509Certificate2 leaf, X509Chain? presented)
    {
        var customChain = new X509Chain();
        customChain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        customChain.ChainPolicy.CustomTrustStore.AddRange(options.ExtraTrustedCertificates);
        customChain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        customChain.ChainPolicy.ApplicationPolicy.Add(ServerAuthentication); // as the system-store check requires
        if (presented is not null)
        {
            foreach (var element in presented.ChainElements)
            {
                if (!element.Certificate.Equals(leaf))
                {
                    customChain.ChainPolicy.ExtraStore.Add(element.Certificate);
                }
            }
        }

        return customChain;
    }

    private static string ChainStatuses(X509Chain? chain)
    {
        var statuses = chain?.ChainStatus.Select(s => s.Status.ToString()).Distinct().ToArray() ?? [];
        return statuses.Length == 0 ? "chain error" : string.Join(", ", statuses);
    }
}
