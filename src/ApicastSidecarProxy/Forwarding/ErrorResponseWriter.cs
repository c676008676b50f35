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

        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("error", failure.Code);
            json.WriteString("hop", failure.Hop);
            json.WriteString("message", scrubber.Scrub(failure.Message));
            json.WriteEndObject();
        }

        context.Response.ContentLength = buffer.Length;
        await context.Response.Body.WriteAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), context.RequestAborted);
    }
}
