using System.Collections.Concurrent;
using System.Net;
using ApicastSidecarProxy.Configuration;

namespace ApicastSidecarProxy.Egress;

/// <summary>
/// Answers a proxy's challenge with the credentials configured for that proxy. SocketsHttpHandler asks for the schemes
/// the proxy offered in the order Negotiate, NTLM, Digest, Basic and takes the first answer, so declining every scheme
/// but PROXY_AUTH's forces that one. Remembers the scheme last answered per proxy, for error messages.
/// </summary>
public sealed class ProxyCredentialLookup(ProxyOptions options) : ICredentials
{
    private readonly ConcurrentDictionary<string, string> _lastScheme = new(StringComparer.OrdinalIgnoreCase);

    public NetworkCredential? GetCredential(Uri uri, string authType)
    {
        if (!Allows(authType))
        {
            return null;
        }

        var proxy = options.Endpoints.FirstOrDefault(p =>
            Uri.Compare(p.Uri, uri, UriComponents.SchemeAndServer, UriFormat.SafeUnescaped, StringComparison.OrdinalIgnoreCase) == 0);
        if (proxy is null)
        {
            return null;
        }

        if (IsNegotiate(authType) && proxy.Credentials is not { HasPassword: true })
        {
            // Kerberos without a password: GSSAPI takes the identity from the keytab (KRB5_CLIENT_KTNAME) or ticket cache.
            _lastScheme[proxy.Uri.Authority] = "Negotiate (Kerberos keytab or ticket cache)";
            return CredentialCache.DefaultNetworkCredentials;
        }

        if (proxy.Credentials is not { } credentials)
        {
            return null;
        }

        _lastScheme[proxy.Uri.Authority] = authType;
        return credentials.Current();
    }

    private static bool IsNegotiate(string authType) => authType.Equals("Negotiate", StringComparison.OrdinalIgnoreCase);

    /// <summary>The scheme the sidecar last answered this proxy's challenge with, or null when it never did.</summary>
    public string? LastSchemeFor(Uri proxy) => _lastScheme.GetValueOrDefault(proxy.Authority);

    private bool Allows(string authType) => options.AuthScheme switch
    {
        ProxyAuthScheme.Auto => true,
        ProxyAuthScheme.Basic => authType.Equals("Basic", StringComparison.OrdinalIgnoreCase),
        ProxyAuthScheme.Digest => authType.Equals("Digest", StringComparison.OrdinalIgnoreCase),
        ProxyAuthScheme.Ntlm => authType.Equals("NTLM", StringComparison.OrdinalIgnoreCase),
        ProxyAuthScheme.Negotiate => authType.Equals("Negotiate", StringComparison.OrdinalIgnoreCase),
        _ => false,
    };
}
