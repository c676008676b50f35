using System.Net;
using System.Text;

namespace ApicastSidecarProxy.Forwarding;

public static class BasicAuthorization
{
    /// <summary>The Authorization header value "Basic base64(user:password)", or null without credentials.</summary>
    public static string? For(NetworkCredential? credentials) => credentials is null
        ? null
        : "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{credentials.UserName}:{credentials.Password}"));
}
