using System.Net;
using System.Text.Json;

namespace ApicastSidecarProxy.FunctionalTests.Failures;

/// <summary>The sidecar's own error answer, as a client sees it.</summary>
public sealed record SidecarErrorAnswer(HttpStatusCode Status, string? HeaderCode, string Code, string Hop, string Message, string Body)
{
    public static async Task<SidecarErrorAnswer> ReadAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.Content.Headers.ContentType?.MediaType == "application/json", $"not a JSON error answer: {(int)response.StatusCode} {body}");
        var json = JsonDocument.Parse(body).RootElement;
        return new SidecarErrorAnswer(
            response.StatusCode,
            response.Headers.TryGetValues("X-Sidecar-Error", out var values) ? values.Single() : null,
            json.GetProperty("error").GetString()!,
            json.GetProperty("hop").GetString()!,
            json.GetProperty("message").GetString()!,
            body);
    }

    public void AssertIs(HttpStatusCode status, string code, string hop)
    {
        Assert.True(Status == status && Code == code && HeaderCode == code && Hop == hop,
            $"expected {(int)status} {code} at {hop}, got {(int)Status} {Body}");
    }
}
