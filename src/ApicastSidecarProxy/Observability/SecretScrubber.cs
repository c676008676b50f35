using ApicastSidecarProxy.Configuration;
using ApicastSidecarProxy.Forwarding;

namespace ApicastSidecarProxy.Observability;

/// <summary>
/// Last line of defence: removes every configured secret (access tokens, proxy passwords), raw or percent-encoded,
/// from text about to leave the process (error bodies, log lines built from exception messages).
/// </summary>
public sealed class SecretScrubber
{
    /// <summary>
    /// Shorter values are not scrubbed: they would mangle every message, and the sidecar's own messages never carry
    /// secrets in the first place (this is the second line of defence).
    /// </summary>
    public const int MinimumLength = 4;

    private readonly string[] _secrets;

    public SecretScrubber(IEnumerable<string?> secrets)
    {
        _secrets = secrets
            .Where(s => s is { Length: >= MinimumLength })
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

        foreach (var proxy in options.Proxy.Endpoints)
        {
            secrets.Add(proxy.Credentials?.Current().Password);
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
