using ApicastSidecarProxy.Configuration;

namespace ApicastSidecarProxy.Redaction;

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
    private readonly Func<IEnumerable<string?>>? _changingSecrets;

    /// <param name="secrets">Secrets fixed at start.</param>
    /// <param name="changingSecrets">Secrets that change while the process runs (a rotated proxy password), asked at each scrub.</param>
    public SecretScrubber(IEnumerable<string?> secrets, Func<IEnumerable<string?>>? changingSecrets = null)
    {
        _secrets = Expand(secrets);
        _changingSecrets = changingSecrets;
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

        // The current proxy password and the one before it: a message may still carry the old one after a rotation.
        var proxyCredentials = options.Proxy.Endpoints.Select(proxy => proxy.Credentials)
            .Append(options.Proxy.Pac?.Credentials).OfType<ProxyCredentials>().ToList();
        return new SecretScrubber(secrets, () => proxyCredentials.SelectMany(credentials => credentials.Passwords()));
    }

    public string Scrub(string text)
    {
        var secrets = _changingSecrets is null ? _secrets : Expand(_secrets.Concat(_changingSecrets()));
        foreach (var secret in secrets)
        {
            if (text.Contains(secret, StringComparison.Ordinal))
            {
                text = text.Replace(secret, QueryRedactor.Mask, StringComparison.Ordinal);
            }
        }

        return text;
    }

    // Each secret raw and percent-encoded, longest first (so a secret inside another is not half replaced).
    private static string[] Expand(IEnumerable<string?> secrets) => secrets
        .Where(s => s is { Length: >= MinimumLength })
        .SelectMany(s => new[] { s!, Uri.EscapeDataString(s!) })
        .Distinct(StringComparer.Ordinal)
        .OrderByDescending(s => s.Length)
        .ToArray();
}
