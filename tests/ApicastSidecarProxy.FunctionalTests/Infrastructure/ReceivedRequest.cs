namespace ApicastSidecarProxy.FunctionalTests.Infrastructure;

/// <summary>A request as the fake upstream received it. Header names are case-insensitive.</summary>
public sealed record ReceivedRequest(
    string Method,
    string PathAndQuery,
    string Protocol,
    IReadOnlyDictionary<string, string[]> Headers)
{
    /// <summary>The first value of a header, or null when absent.</summary>
    public string? Header(string name) =>
        Headers.TryGetValue(name, out var values) && values.Length > 0 ? values[0] : null;
}
