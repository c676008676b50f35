using System.Text.Json;
using ApicastSidecarProxy.Observability;
using Microsoft.AspNetCore.Http;

namespace ApicastSidecarProxy.Forwarding;

/// <summary>Writes the sidecar's own error answer: {"error":CODE,"hop":HOP,"message":...} and X-Sidecar-Error: CODE.</summary>
public static class ErrorResponseWriter
{
    public const string ErrorHeader = "X-Sidecar-Error";

    public static async Task WriteAsync(HttpContext context, ForwardingFailure failure, SecretScrubber scrubber)
    {
        if (context.Response.HasStarted || context.RequestAborted.IsCancellationRequested)
        {
            return; // Too late for a status: YARP has aborted the client connection, which is the signal.
        }

        context.Response.Clear();
        context.Response.StatusCode = (int)failure.Status;
        context.Response.Headers[ErrorHeader] = failure.Code;
        context.Response.ContentType = "application/json";

        var body = Body(failure, scrubber);
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body, context.RequestAborted);
    }

    /// <summary>The JSON body: {"error":CODE,"hop":HOP,"message":...}, the message scrubbed of secrets.</summary>
    public static byte[] Body(ForwardingFailure failure, SecretScrubber scrubber)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("error", failure.Code);
            json.WriteString("hop", failure.Hop);
            json.WriteString("message", scrubber.Scrub(failure.Message));
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
