using System.Security.Cryptography.X509Certificates;

namespace ApicastSidecarProxy.Configuration;

/// <summary>Trust for upstream (and https proxy) certificates.</summary>
public sealed record TlsOptions
{
    /// <summary>
    /// CA certificates trusted in addition to the system store (UPSTREAM_CA_FILE, a PEM bundle), e.g. the CA of a
    /// TLS-inspecting proxy. Default: none.
    /// </summary>
    public X509Certificate2Collection ExtraTrustedCertificates { get; init; } = [];

    /// <summary>Path the extra certificates were read from, for the start-up log.</summary>
    public string? ExtraTrustedCertificatesFile { get; init; }

    /// <summary>
    /// Accept any upstream certificate (UPSTREAM_TLS_INSECURE_SKIP_VERIFY=true). Default: false. Logged as a warning at
    /// every start.
    /// </summary>
    public bool SkipVerification { get; init; }
}
