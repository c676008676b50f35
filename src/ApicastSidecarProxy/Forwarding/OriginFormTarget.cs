namespace ApicastSidecarProxy.Forwarding;

/// <summary>
/// The client's request target, forwarded byte for byte when that is safe. Rebuilding it from ASP.NET's decoded path
/// would turn an encoded slash (%2F) into %252F.
/// </summary>
public static class OriginFormTarget
{
    private static readonly UriCreationOptions Verbatim = new() { DangerousDisablePathAndQueryCanonicalization = true };

    /// <summary>
    /// The upstream URI for <paramref name="rawTarget"/> under <paramref name="destinationPrefix"/>, or null when the
    /// target must go through the server's normalization: not origin-form, not plain printable ASCII, or holding a dot
    /// segment ("/../") that could climb out of the upstream's path prefix.
    /// </summary>
    public static Uri? TryCreateUri(string destinationPrefix, string? rawTarget)
    {
        if (rawTarget is null || rawTarget.Length == 0 || rawTarget[0] != '/' || !IsPrintableAscii(rawTarget)
            || HasDotSegment(rawTarget))
        {
            return null;
        }

        return Uri.TryCreate(destinationPrefix + rawTarget, in Verbatim, out var uri) ? uri : null;
    }

    /// <summary>
    /// The origin-form part of an absolute-form target (<c>http://host:port/p?q</c> gives <c>/p?q</c>, and <c>/</c>
    /// without a path); any other target as it is.
    /// </summary>
    public static string? OfAbsolute(string? rawTarget)
    {
        var scheme = rawTarget?.IndexOf("://", StringComparison.Ordinal) ?? -1;
        if (rawTarget is null || rawTarget.StartsWith('/') || scheme < 0)
        {
            return rawTarget;
        }

        var pathStart = rawTarget.AsSpan(scheme + 3).IndexOfAny('/', '?');
        return pathStart < 0 ? "/"
            : rawTarget[scheme + 3 + pathStart] == '?' ? "/" + rawTarget[(scheme + 3 + pathStart)..]
            : rawTarget[(scheme + 3 + pathStart)..];
    }

    private static bool IsPrintableAscii(string text)
    {
        foreach (var c in text)
        {
            if (c <= ' ' || c >= 0x7F)
            {
                return false;
            }
        }

        return true;
    }

    private static bool HasDotSegment(string rawTarget)
    {
        var query = rawTarget.IndexOf('?');
        var path = query < 0 ? rawTarget.AsSpan() : rawTarget.AsSpan(0, query);
        foreach (var range in path.Split('/'))
        {
            var segment = path[range];
            if (segment.Length is > 0 and <= 6 && IsDots(segment))
            {
                return true;
            }
        }

        return false;
    }

    // ".", "..", or either with dots percent-encoded (%2e).
    private static bool IsDots(ReadOnlySpan<char> segment)
    {
        var dots = 0;
        for (var i = 0; i < segment.Length; dots++)
        {
            if (segment[i] == '.')
            {
                i++;
            }
            else if (segment[i..].StartsWith("%2e", StringComparison.OrdinalIgnoreCase))
            {
                i += 3;
            }
            else
            {
                return false;
            }
        }

        return dots <= 2;
    }
}
