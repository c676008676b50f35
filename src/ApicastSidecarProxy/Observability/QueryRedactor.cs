using System.Text;

namespace ApicastSidecarProxy.Observability;

/// <summary>Masks the values of query parameters that carry 3scale credentials, keeping everything else as sent.</summary>
public static class QueryRedactor
{
    public const string Mask = "***";

    private static readonly string[] SecretParameters =
        ["access_token", "service_token", "provider_key", "user_key", "app_key"];

    /// <summary>The request target as the client sent it ("/path?query"), with secret query values masked.</summary>
    public static string RedactTarget(string target)
    {
        var question = target.IndexOf('?');
        return question < 0 ? target : RedactPathAndQuery(target[..question], target[question..]);
    }

    /// <summary>Returns <paramref name="path"/> followed by the redacted <paramref name="query"/> ("" or "?a=b&amp;...").</summary>
    public static string RedactPathAndQuery(string path, string? query)
    {
        if (string.IsNullOrEmpty(query))
        {
            return path;
        }

        if (!HasSecretParameter(query))
        {
            return string.Concat(path, query);
        }

        var builder = new StringBuilder(path.Length + query.Length).Append(path);
        var rest = query.AsSpan();
        while (!rest.IsEmpty)
        {
            // '?' starts the query; '&' and ';' (which Rack, behind 3scale's backend, also accepts) separate pairs.
            builder.Append(rest[0]);
            rest = rest[1..];
            var end = rest.IndexOfAny('&', ';');
            var pair = end < 0 ? rest : rest[..end];
            var equals = pair.IndexOf('=');
            builder.Append(equals >= 0 && IsSecret(pair[..equals]) ? string.Concat(pair[..(equals + 1)], Mask) : pair);
            rest = rest[pair.Length..];
        }

        return builder.ToString();
    }

    private static bool HasSecretParameter(string query)
    {
        var rest = query.AsSpan(1);
        while (true)
        {
            var end = rest.IndexOfAny('&', ';');
            var pair = end < 0 ? rest : rest[..end];
            var equals = pair.IndexOf('=');
            if (equals >= 0 && IsSecret(pair[..equals]))
            {
                return true;
            }

            if (end < 0)
            {
                return false;
            }

            rest = rest[(end + 1)..];
        }
    }

    private static bool IsSecret(ReadOnlySpan<char> encodedName)
    {
        // Only a name holding '%' needs decoding ("user%5Fkey"); the common case compares spans without allocating.
        var name = encodedName.Contains('%') ? Uri.UnescapeDataString(encodedName.ToString()).AsSpan() : encodedName;
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
