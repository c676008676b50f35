using System.Net.Sockets;
using System.Text;

namespace ApicastSidecarProxy.Diagnostics;

/// <summary>
/// Asks the proxy for a tunnel without credentials and reads which authentication schemes its challenge offers
/// (Proxy-Authenticate), so a failed check can say "the proxy offered NTLM, Negotiate". Diagnostics only: forwarding
/// leaves CONNECT to .NET.
/// </summary>
public static class ProxyChallengeProbe
{
    private const int MaxHeadBytes = 16 * 1024;

    /// <summary>The schemes offered, e.g. ["Basic", "NTLM"]; empty when the proxy did not challenge or could not be read.</summary>
    public static async Task<IReadOnlyList<string>> OfferedSchemesAsync(Uri proxy, Uri destination, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(proxy.Host, proxy.Port, cancel.Token);
            var stream = client.GetStream();
            var authority = $"{destination.IdnHost}:{destination.Port}";
            await stream.WriteAsync(Encoding.ASCII.GetBytes($"CONNECT {authority} HTTP/1.1\r\nHost: {authority}\r\n\r\n"), cancel.Token);
            var head = await ReadHeadAsync(stream, cancel.Token);
            return head.Split("\r\n")
                .Where(line => line.StartsWith("Proxy-Authenticate:", StringComparison.OrdinalIgnoreCase))
                .Select(line => line["Proxy-Authenticate:".Length..].Trim().Split(' ')[0])
                .Where(scheme => scheme.Length > 0)
                .Distinct(StringComparer.OrdinalIgnoreCase)
                .ToList();
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException)
        {
            return [];
        }
    }

    private static async Task<string> ReadHeadAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        var head = new StringBuilder();
        var buffer = new byte[4096];
        while (head.Length < MaxHeadBytes && !head.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
        {
            var read = await stream.ReadAsync(buffer, cancellationToken);
            if (read == 0)
            {
                break;
            }

            head.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }

        return head.ToString();
    }
}
