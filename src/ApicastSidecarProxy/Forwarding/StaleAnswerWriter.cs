using System.Globalization;
using ApicastSidecarProxy.Caching;
using Microsoft.AspNetCore.Http;

namespace ApicastSidecarProxy.Forwarding;

/// <summary>
/// Answers with a stored configuration: 200, the stored body and content headers, Age, X-Sidecar-Cache: stale and
/// X-Sidecar-Error naming the failure it stands in for, so APIcast keeps working and an operator can still tell.
/// </summary>
public static class StaleAnswerWriter
{
    public const string CacheHeader = "X-Sidecar-Cache";
    public const string Stale = "stale";

    public static async Task WriteAsync(HttpContext context, StoredAnswer answer, TimeSpan age, string hiddenFailureCode)
    {
        var response = context.Response;
        response.Clear();
        response.StatusCode = StatusCodes.Status200OK;
        foreach (var (name, value) in answer.Headers)
        {
            response.Headers[name] = value;
        }

        response.Headers.Age = ((long)Math.Max(0, age.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        response.Headers[CacheHeader] = Stale;
        response.Headers[ErrorResponseWriter.ErrorHeader] = hiddenFailureCode;
        response.ContentLength = answer.Body.Length;
        try
        {
            await response.Body.WriteAsync(answer.Body, context.RequestAborted);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException && context.RequestAborted.IsCancellationRequested)
        {
            // The client went away meanwhile: nobody is left to read the answer.
        }
    }
}
