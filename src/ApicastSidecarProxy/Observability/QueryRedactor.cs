using System.Text;

namespace ApicastSidecarProxy.Observability;

/// <summary>Masks the values of query parameters that carry 3scale credentials, keeping everything else as sent.</summary>
public static class QueryRedactor
{
    public const string Mask = "***";

    private static readonly string[] SecretParameters =
        ["access_token", "service_token", "provider_key", "user_key", "app_key"];

    /// <summary>
    /// The request target as the client sent it ("/path?query"), with secret query values masked. Allocates nothing
    /// when there is nothing to mask.
    /// </summary>
    public static string RedactTarget(string target)
    {
        var position = target.IndexOf('?');
        if (position < 0 || !TryFindSecretValue(target, ref position, out var start, out var end))
        {
            return target;
        }

        var builder = new StringBuilder(target.Length + Mask.Length);
        var copied = 0;
        do
        {
            builder.Append(target, copied, start - copied).Append(Mask);
            copied = end;
        }
        while (TryFindSecretValue(target, ref position, out start, out end));

        return builder.Append(target, copied, target.Length - copied).ToString();
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
