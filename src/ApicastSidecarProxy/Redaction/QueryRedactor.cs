using System.Globalization;

namespace ApicastSidecarProxy.Redaction;

/// <summary>
/// Masks the values of query parameters that carry 3scale credentials, and a target's userinfo, keeping everything else
/// as sent.
/// </summary>
public static class QueryRedactor
{
    public const string Mask = "***";

    // The position TryFindNextSecret starts from.
    private const int BeforeTarget = -2;

    private static readonly string[] SecretParameters =
        ["access_token", "service_token", "provider_key", "user_key", "app_key"];

    // Every character of the longest secret name percent-encoded.
    private static readonly int MaxEncodedNameLength = SecretParameters.Max(name => name.Length) * 3;

    /// <summary>
    /// The request target as the client sent it ("/path?query"), with secret query values masked, and the userinfo of
    /// an absolute-form target ("http://user:password@host/"). Allocates nothing when there is nothing to mask, and
    /// only the returned string otherwise.
    /// </summary>
    public static string RedactTarget(string target)
    {
        var length = RedactedLength(target, out var masks);
        return !masks ? target : string.Create(length, target, static (redacted, target) => WriteRedacted(target, redacted));
    }

    /// <summary><see cref="RedactTarget"/> written into <paramref name="destination"/>; false when it does not fit.</summary>
    public static bool TryRedactTarget(string target, Span<char> destination, out int written)
    {
        written = RedactedLength(target, out var masks);
        if (written > destination.Length)
        {
            written = 0;
            return false;
        }

        if (masks)
        {
            WriteRedacted(target, destination);
        }
        else
        {
            target.CopyTo(destination);
        }

        return true;
    }

    private static int RedactedLength(string target, out bool masks)
    {
        var length = target.Length;
        masks = false;
        for (var position = BeforeTarget; TryFindNextSecret(target, ref position, out var start, out var end); masks = true)
        {
            length += Mask.Length - (end - start);
        }

        return length;
    }

    private static void WriteRedacted(string target, Span<char> redacted)
    {
        int position = BeforeTarget, copied = 0, written = 0;
        while (TryFindNextSecret(target, ref position, out var start, out var end))
        {
            target.AsSpan(copied, start - copied).CopyTo(redacted[written..]);
            written += start - copied;
            Mask.CopyTo(redacted[written..]);
            written += Mask.Length;
            copied = end;
        }

        target.AsSpan(copied).CopyTo(redacted[written..]);
    }

    // The next range to mask, in order: an absolute-form target's userinfo, then each secret query value.
    private static bool TryFindNextSecret(string target, ref int position, out int start, out int end)
    {
        if (position == BeforeTarget)
        {
            position = target.IndexOf('?') is var query and >= 0 ? query : target.Length;
            if (TryFindUserInfo(target, out start, out end))
            {
                return true;
            }
        }

        return TryFindSecretValue(target, ref position, out start, out end);
    }

    // Kestrel accepts an absolute-form target ("GET http://user:pass@host/"); the sidecar refuses it, and logs it.
    private static bool TryFindUserInfo(string target, out int start, out int end)
    {
        start = end = 0;
        var scheme = target.StartsWith('/') ? -1 : target.IndexOf("://", StringComparison.Ordinal);
        if (scheme < 0)
        {
            return false;
        }

        var authority = target.AsSpan(scheme + 3);
        var authorityLength = authority.IndexOfAny('/', '?', '#');
        var at = (authorityLength < 0 ? authority : authority[..authorityLength]).LastIndexOf('@');
        if (at < 0)
        {
            return false;
        }

        (start, end) = (scheme + 3, scheme + 3 + at);
        return true;
    }

    // From the separator at `position` ('?' starts the query; '&' and ';', which Rack behind 3scale's backend also
    // accepts, separate pairs), finds the next pair whose name is a secret and returns its value's bounds.
    private static bool TryFindSecretValue(string target, ref int position, out int valueStart, out int valueEnd)
    {
        while (position < target.Length)
        {
            var pairStart = position + 1;
            var rest = target.AsSpan(pairStart);
            var separator = rest.IndexOfAny('&', ';');
            var pair = separator < 0 ? rest : rest[..separator];
            position = pairStart + pair.Length;
            var equals = pair.IndexOf('=');
            if (equals >= 0 && IsSecret(pair[..equals]))
            {
                valueStart = pairStart + equals + 1;
                valueEnd = position;
                return true;
            }
        }

        valueStart = valueEnd = 0;
        return false;
    }

    private static bool IsSecret(ReadOnlySpan<char> encodedName)
    {
        if (!encodedName.Contains('%'))
        {
            return IsSecretName(encodedName);
        }

        // "user%5Fkey": decoded on the stack. Only ASCII escapes can spell a secret's name; any other one is kept as is
        // (as Uri.UnescapeDataString would keep an invalid one), so the name then matches no secret.
        if (encodedName.Length > MaxEncodedNameLength)
        {
            return false;
        }

        Span<char> name = stackalloc char[encodedName.Length];
        var length = 0;
        for (var i = 0; i < encodedName.Length; i++)
        {
            if (encodedName[i] == '%' && i + 2 < encodedName.Length
                && byte.TryParse(encodedName.Slice(i + 1, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value)
                && value < 0x80)
            {
                name[length++] = (char)value;
                i += 2;
            }
            else
            {
                name[length++] = encodedName[i];
            }
        }

        return IsSecretName(name[..length]);
    }

    private static bool IsSecretName(ReadOnlySpan<char> name)
    {
        foreach (var secret in SecretParameters)
        {
            if (name.Equals(secret, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
