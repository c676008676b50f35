using System.Net;
using ApicastSidecarProxy.Configuration;

namespace ApicastSidecarProxy.Egress;

/// <summary>Answers a proxy's challenge with the credentials configured for that proxy, whatever the scheme it asks.</summary>
public sealed class ProxyCredentialLookup(ProxyOptions options) : ICredentials
{
    public NetworkCredential? GetCredential(Uri uri, string authType)
    {
        foreach (var proxy in options.Endpoints)
        {
            if (proxy.Credentials is { } credentials
                && Uri.Compare(proxy.Uri, uri, UriComponents.SchemeAndServer, UriFormat.SafeUnescaped,
                    StringComparison.OrdinalIgnoreCase) == 0)
            {
                return credentials;
            }
        }

        return null;
    }
}
