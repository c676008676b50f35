using ApicastSidecarProxy.Configuration;
using ApicastSidecarProxy.Forwarding;

namespace ApicastSidecarProxy.Observability;

/// <summary>
/// Last line of defence: removes every configured secret (access tokens, proxy passwords), raw or percent-encoded,
/// from text about to leave the process (error bodies, log lines built from exception messages).
/// </summary>
public sealed class SecretScrubber
{
    private readonly string[] _secrets;

    public SecretScrubber(IEnumerable<string?> secrets)
    {
        _secrets = secrets
            .Where(s => !string.IsNullOrEmpty(s))
            .SelectMany(s => new[] { s!, Uri.EscapeDataString(s!) })
            .Distinct(StringComparer.Ordinal)
            .OrderByDescending(s => s.Length)
            .ToArray();
    }

    public static SecretScrubber For(SidecarOptions options)
    {
        var secrets = new List<string?>();
        foreach (var route in options.Routes)
        {
            secrets.Add(route.UpstreamCredentials?.UserName);
            secrets.Add(route.UpstreamCredentials?.Password);
            secrets.Add(BasicAuthorization.For(route.UpstreamCredentials));
        }

        foreach (var proxy in new[] { options.Proxy.Https, options.Proxy.Http })
        {
            secrets.Add(proxy?.Credentials?.Password);
        }

        return new SecretScrubber(secrets);
    }

    public string Scrub(string text)
    {
        foreach (var secret in _secrets)
        {
            if (text.Contains(secret, StringComparison.Ordinal))
            {
                text = text.Replace(secret, QueryRedactor.Mask, StringComparison.Ordinal);
            }
        }

        return text;
    }
}
