using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using ApicastSidecarProxy.Configuration;

namespace ApicastSidecarProxy.Egress;

/// <summary>
/// Trusts what the system store trusts, plus certificates chaining to the extra CAs of UPSTREAM_CA_FILE. The extra
/// CAs add trust; they never replace the system store, and the host name must match either way.
/// </summary>
public sealed class UpstreamCertificateValidator(TlsOptions options)
{
    public bool Validate(X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (options.SkipVerification || errors == SslPolicyErrors.None)
        {
            return true;
        }

        if (errors != SslPolicyErrors.RemoteCertificateChainErrors
            || options.ExtraTrustedCertificates.Count == 0
            || certificate is null)
        {
            return false;
        }

        using var customChain = new X509Chain();
        customChain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        customChain.ChainPolicy.CustomTrustStore.AddRange(options.ExtraTrustedCertificates);
        customChain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (chain is not null)
        {
            foreach (var element in chain.ChainElements)
            {
                customChain.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        using var leaf = new X509Certificate2(certificate);
        return customChain.Build(leaf);
    }
}
