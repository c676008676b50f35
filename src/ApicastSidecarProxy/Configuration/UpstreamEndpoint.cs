using System.Net;

namespace ApicastSidecarProxy.Configuration;

/// <summary>An upstream URL split into the address to forward to and the credentials its userinfo carried.</summary>
public sealed record UpstreamEndpoint(Uri Uri, NetworkCredential? Credentials)
{
    /// <summary>
    /// Parses THREESCALE_PORTAL_ENDPOINT-style values: https://[TOKEN@]host[:port][/prefix]. APIcast's convention is
    /// TOKEN as user and an empty password, later sent as Basic base64("TOKEN:"). Query and fragment are not allowed.
    /// </summary>
    public static UpstreamEndpoint Parse(string variable, string value)
    {
        // The value may hold an access token: messages describe it, never repeat it.
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Host.Length == 0)
        {
            throw new ConfigurationException(variable, "is not an absolute URL (expected https://host[:port][/path])");
        }

        if (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)
        {
            throw new ConfigurationException(variable, $"scheme '{uri.Scheme}' is not supported (use https or http)");
        }

        if (uri.Query.Length > 0 || uri.Fragment.Length > 0)
        {
            throw new ConfigurationException(variable, "must not contain a query string or fragment");
        }

        NetworkCredential? credentials = null;
        if (uri.UserInfo.Length > 0)
        {
            var (user, password) = UserInfo.Split(uri.UserInfo);
            credentials = new NetworkCredential(user, password);
        }

        var withoutUserInfo = new UriBuilder(uri) { UserName = "", Password = "" }.Uri;
        return new UpstreamEndpoint(withoutUserInfo, credentials);
    }
}
