using System.Text;

namespace ApicastSidecarProxy.Observability;

/// <summary>Masks the values of query parameters that carry 3scale credentials, keeping everything else as sent.</summary>
public static class QueryRedactor
{
    public const string Mask = "***";

    private static readonly string[] SecretParameters =
        ["access_token", "service_token", "provider_key", "user_key", "app_key"];

    /// <summary>Returns <paramref name="path"/> followed by the redacted <paramref name="query"/> ("" or "?a=b&amp;...").</summary>
    public static string RedactPathAndQuery(string path, string? query)
    {
        if (string.IsNullOrEmpty(query))
        {
            return path;
        }

        if (!ContainsSecretParameter(query))
        {
            return string.Concat(path, query);
        }

        var builder = new StringBuilder(path.Length + query.Length).Append(path);
        var rest = query.AsSpan(query[0] == '?' ? 1 : 0);
        var separator = '?';
        while (true)
        {
            var end = rest.IndexOf('&');
            var pair = end < 0 ? rest : rest[..end];
            builder.Append(separator);
            separator = '&';
            var equals = pair.IndexOf('=');
            if (equals >= 0 && IsSecret(pair[..equals]))
            {
                builder.Append(pair[..(equals + 1)]).Append(Mask);
            }
            else
            {
                builder.Append(pair);
            }

            if (end < 0)
            {
                break;
            }

            rest = rest[(end + 1)..];
        }

        return builder.ToString();
    }

    private static bool ContainsSecretParameter(string query)
    {
        foreach (var name in SecretParameters)
        {
            if (query.Contains(name, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        // A percent-encoded name ("user%5Fkey") needs the slow path too.
        return query.Contains('%');
    }

    private static bool IsSecret(ReadOnlySpan<char> encodedName)
    {
        var name = encodedName.Contains('%') ? Uri.UnescapeDataString(encodedName.ToString()) : encodedName.ToString();
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
