using System.Security.Authentication;

namespace ApicastSidecarProxy.Egress;

/// <summary>
/// Thrown from certificate validation so the reason (untrusted chain, name mismatch) and the hop (an https:// proxy, or
/// the upstream) reach the client's error answer; returning false would leave only ".NET rejected the certificate".
/// </summary>
public sealed class CertificateRejectedException(string reason, bool atProxy) : AuthenticationException(reason)
{
    /// <summary>True when the certificate was the https:// proxy's own, false when it was the upstream's.</summary>
    public bool AtProxy { get; } = atProxy;
}
