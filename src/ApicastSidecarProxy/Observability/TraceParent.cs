namespace ApicastSidecarProxy.Observability;

/// <summary>
/// Reads the trace id of a W3C traceparent header (version-traceid-parentid-flags), so the sidecar's log line of an
/// exchange joins the client's (APIcast's) trace. Read only: nothing is added or forwarded by the sidecar.
/// </summary>
public static class TraceParent
{
    private const int TraceIdStart = 3, TraceIdLength = 32, ParentIdStart = 36, ParentIdLength = 16, MinimumLength = 55;

    /// <summary>The 32 lowercase hex digits of the trace id; false when the header is absent or malformed.</summary>
    public static bool TryGetTraceId(string? header, out ReadOnlySpan<char> traceId)
    {
        traceId = default;
        if (header is null || header.Length < MinimumLength
            || header[2] != '-' || header[35] != '-' || header[52] != '-'
            || !IsLowerHex(header.AsSpan(0, 2)) || header.StartsWith("ff", StringComparison.Ordinal)
            || (header.StartsWith("00", StringComparison.Ordinal) && header.Length != MinimumLength)
            || !IsLowerHex(header.AsSpan(ParentIdStart, ParentIdLength)) || !IsLowerHex(header.AsSpan(53, 2)))
        {
            return false;
        }

        var id = header.AsSpan(TraceIdStart, TraceIdLength);
        if (!IsLowerHex(id) || !id.ContainsAnyExcept('0')) // all zeros is the invalid trace id
        {
            return false;
        }

        traceId = id;
        return true;
    }

    private static bool IsLowerHex(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (!char.IsAsciiDigit(c) && c is not (>= 'a' and <= 'f'))
            {
                return false;
            }
        }

        return true;
    }
}
