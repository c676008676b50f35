namespace ApicastSidecarProxy.FunctionalTests.Infrastructure;

/// <summary>
/// The secret values a sidecar was configured with: proxy passwords (in proxy URLs or PROXY_PASSWORD) and access tokens
/// (userinfo of the upstream URLs), raw and percent-encoded. Every sidecar a test starts is checked against them when it
/// stops, so no test, whatever it provokes, can let one reach stdout or stderr unnoticed.
/// </summary>
public static class ConfiguredSecrets
{
    private const int MinimumLength = 4; // the sidecar's own scrubber leaves shorter values alone

    private static readonly string[] UrlVariables =
        ["https_proxy", "HTTPS_PROXY", "http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY", "THREESCALE_PORTAL_ENDPOINT", "BACKEND_ENDPOINT_OVERRIDE"];

    public static IReadOnlyList<string> In(IReadOnlyDictionary<string, string> environment)
    {
        var secrets = new List<string>();
        if (environment.TryGetValue("PROXY_PASSWORD", out var password))
        {
            secrets.Add(password);
        }

        foreach (var variable in UrlVariables)
        {
            if (environment.TryGetValue(variable, out var value)
                && Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.UserInfo.Length > 0)
            {
                var colon = uri.UserInfo.IndexOf(':');
                // A proxy's user name is not a secret; an upstream's is the access token.
                var isProxy = variable.EndsWith("_proxy", StringComparison.OrdinalIgnoreCase);
                secrets.Add(Uri.UnescapeDataString(colon < 0 ? (isProxy ? "" : uri.UserInfo) : uri.UserInfo[(colon + 1)..]));
                if (!isProxy && colon > 0)
                {
                    secrets.Add(Uri.UnescapeDataString(uri.UserInfo[..colon]));
                }
            }
        }

        return secrets.Where(s => s.Length >= MinimumLength)
            .SelectMany(s => new[] { s, Uri.EscapeDataString(s) })
            .Distinct()
            .ToList();
    }
}
