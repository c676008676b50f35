using System.Security.Authentication;

namespace ApicastSidecarProxy.Egress;

/// <summary>
/// Thrown from certificate validation so the reason (untrusted chain, name mismatch) reaches the client's error answer;
/// returning false would leave only ".NET rejected the certificate".
/// </summary>
public sealed class UpstreamCertificateRejectedException(string reason) : AuthenticationException(reason);
