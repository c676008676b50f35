namespace ApicastSidecarProxy.Caching;

/// <summary>A complete 200 answer of the portal as kept: its content headers, its body, and when it was last received.</summary>
/// <param name="Headers">The content headers worth replaying (Content-Type, Content-Encoding, Content-Language).</param>
public sealed record StoredAnswer(IReadOnlyList<KeyValuePair<string, string>> Headers, byte[] Body, DateTimeOffset StoredAt)
{
    /// <summary>The headers that describe the body; nothing else of the portal's answer is kept (no cookie, no session).</summary>
    public static readonly string[] KeptHeaders = ["Content-Type", "Content-Encoding", "Content-Language"];

    /// <summary>Bytes counted against CONFIG_CACHE_MAX_BYTES.</summary>
    public long Size => Body.Length + Headers.Sum(h => (long)h.Key.Length + h.Value.Length);

    /// <summary>Whether <paramref name="headers"/> are the same as this answer's, in the same order.</summary>
    public bool HasHeaders(IReadOnlyList<KeyValuePair<string, string>> headers) =>
        headers.Count == Headers.Count && headers.Zip(Headers).All(pair => pair.First.Key == pair.Second.Key && pair.First.Value == pair.Second.Value);
}
