using System.Net;
using ApicastSidecarProxy.Configuration;

namespace ApicastSidecarProxy.Egress;

/// <summary>
/// Answers a proxy's challenge with the credentials configured for that proxy (a proxy named by the PAC script gets
/// PROXY_USERNAME/PROXY_PASSWORD). SocketsHttpHandler asks for the schemes the proxy offered in the order Negotiate,
/// NTLM, Digest, Basic and takes the first answer, so declining every scheme but PROXY_AUTH's forces that one. The
/// scheme answered is recorded on the request's own <see cref="OutboundPath"/>, for its error message.
/// </summary>
public sealed class ProxyCredentialLookup(ProxyOptions options) : ICredentials
{
    private readonly ProxyEndpoint[] _endpoints = options.Endpoints.ToArray();

    public NetworkCredential? GetCredential(Uri uri, string authType)
    {
        if (!Allows(authType))
        {
            return null;
        }

        var credentials = CredentialsFor(uri, out var known);
        if (!known)
        {
            return null;
        }

        if (IsNegotiate(authType) && credentials is not { HasPassword: true })
        {
            // Kerberos without a password: GSSAPI takes the identity from the keytab (KRB5_CLIENT_KTNAME) or ticket cache.
            Record("Negotiate (Kerberos keytab or ticket cache)");
            return CredentialCache.DefaultNetworkCredentials;
        }

        if (credentials is null)
        {
            return null;
        }

        Record(authType);
        return credentials.Current();
    }

    private ProxyCredentials? CredentialsFor(Uri proxy, out bool known)
    {
        foreach (var endpoint in _endpoints)
        {
            if (Uri.Compare(endpoint.Uri, proxy, UriComponents.SchemeAndServer, UriFormat.SafeUnescaped,
                    StringComparison.OrdinalIgnoreCase) == 0)
            {
                known = true;
                return endpoint.Credentials;
            }
        }

        known = options.Pac is not null;
        return options.Pac?.Credentials;
    }

    private static void Record(string scheme)
    {
        if (OutboundPath.Current is { } path)
        {
            path.ProxySchemeTried = scheme;
        }
    }

    private static bool IsNegotiate(string authType) => authType.Equals("Negotiate", StringComparison.OrdinalIgnoreCase);

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
