using System.Globalization;

namespace ApicastSidecarProxy.Observability;

/// <summary>Masks the values of query parameters that carry 3scale credentials, keeping everything else as sent.</summary>
public static class QueryRedactor
{
    public const string Mask = "***";

    private static readonly string[] SecretParameters =
        ["access_token", "service_token", "provider_key", "user_key", "app_key"];

    // Every character of the longest secret name percent-encoded.
    private static readonly int MaxEncodedNameLength = SecretParameters.Max(name => name.Length) * 3;

    /// <summary>
    /// The request target as the client sent it ("/path?query"), with secret query values masked. Allocates nothing
    /// when there is nothing to mask, and only the returned string otherwise.
    /// </summary>
    public static string RedactTarget(string target)
    {
        var length = RedactedLength(target, out var query);
        return query < 0 ? target : string.Create(length, (target, query), static (redacted, state) =>
            WriteRedacted(state.target, state.query, redacted));
    }

    /// <summary><see cref="RedactTarget"/> written into <paramref name="destination"/>; false when it does not fit.</summary>
    public static bool TryRedactTarget(string target, Span<char> destination, out int written)
    {
        written = RedactedLength(target, out var query);
        if (written > destination.Length)
        {
            written = 0;
            return false;
        }

        if (query < 0)
        {
            target.CopyTo(destination);
        }
        else
        {
            WriteRedacted(target, query, destination);
        }

        return true;
    }

    // The redacted target's length; `query` is where the query starts, or -1 when there is nothing to mask.
    private static int RedactedLength(string target, out int query)
    {
        query = target.IndexOf('?');
        var length = target.Length;
        var secrets = 0;
        for (var position = query; query >= 0 && TryFindSecretValue(target, ref position, out var start, out var end); secrets++)
        {
            length += Mask.Length - (end - start);
        }

        query = secrets == 0 ? -1 : query;
        return length;
    }

    private static void WriteRedacted(string target, int position, Span<char> redacted)
    {
        int copied = 0, written = 0;
        while (TryFindSecretValue(target, ref position, out var start, out var end))
        {
            target.AsSpan(copied, start - copied).CopyTo(redacted[written..]);
            written += start - copied;
            Mask.CopyTo(redacted[written..]);
            written += Mask.Length;
            copied = end;
        }

        target.AsSpan(copied).CopyTo(redacted[written..]);
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
