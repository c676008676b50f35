using System.Net.Sockets;
using System.Text;

namespace ApicastSidecarProxy.FunctionalTests.Infrastructure;

/// <summary>Writes raw bytes to a listener and reads the answer: for request shapes HttpClient refuses to send.</summary>
public static class RawHttp
{
    /// <summary>Sends <paramref name="request"/> and returns everything the server wrote until it closed (bounded).</summary>
    public static async Task<string> ExchangeAsync(Uri server, string request)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        using var client = new TcpClient();
        await client.ConnectAsync(server.Host, server.Port, timeout.Token);
        var stream = client.GetStream();
        try
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes(request), timeout.Token);
        }
        catch (IOException)
        {
            // The server answered (414, 431) and closed before taking the whole request: its answer is still readable.
        }

        using var answer = new MemoryStream();
        var buffer = new byte[8192];
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer, timeout.Token)) > 0 && answer.Length < 1_000_000)
            {
                answer.Write(buffer, 0, read);
            }
        }
        catch (IOException) when (answer.Length > 0)
        {
            // A server that answers before reading the whole request then closes with unread bytes: Linux sends a reset.
        }

        return Encoding.ASCII.GetString(answer.ToArray());
    }

    /// <summary>The status code of a raw HTTP/1.1 answer ("HTTP/1.1 405 ..." gives 405).</summary>
    public static int StatusOf(string answer) =>
        answer.StartsWith("HTTP/1.", StringComparison.Ordinal) ? int.Parse(answer.AsSpan(9, 3)) : -1;
}
