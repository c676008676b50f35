using System.Net;
using System.Text;

namespace ApicastSidecarProxy.Configuration;

/// <summary>The Authorization value an upstream URL's userinfo stands for (APIcast sends an access token this way).</summary>
public static class BasicAuthorization
{
    /// <summary>The Authorization header value "Basic base64(user:password)", or null without credentials.</summary>
    public static string? For(NetworkCredential? credentials) => credentials is null
        ? null
        : "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{credentials.UserName}:{credentials.Password}"));
}
