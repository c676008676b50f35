using System.Text;

namespace ApicastSidecarProxy.FunctionalTests.Infrastructure;

/// <summary>The request line and headers a client sent a forward proxy, read byte by byte up to the blank line.</summary>
public sealed record ProxyRequestHead(string Method, string Target, IReadOnlyList<(string Name, string Value)> Headers)
{
    private const int MaxHeadBytes = 64 * 1024;

    /// <summary>The scheme and the token of Proxy-Authorization (<c>NTLM TlRMTVNT...</c>), or null when absent.</summary>
    public (string Scheme, string Token)? ProxyAuthorization
    {
        get
        {
            var value = Headers.FirstOrDefault(h => h.Name.Equals("Proxy-Authorization", StringComparison.OrdinalIgnoreCase)).Value;
            if (value is null) return null;
            var space = value.IndexOf(' ');
            return space < 0 ? (value, "") : (value[..space], value[(space + 1)..].Trim());
        }
    }

    /// <summary>Reads one request head; null when the client closed the connection before sending one.</summary>
    /// <exception cref="InvalidDataException">The head is malformed or longer than 64 KiB.</exception>
    public static async Task<ProxyRequestHead?> ReadAsync(Stream stream, CancellationToken cancellationToken)
    {
        var bytes = new List<byte>();
        var one = new byte[1];
        while (!EndsWithBlankLine(bytes))
        {
            if (await stream.ReadAsync(one, cancellationToken) == 0)
            {
                return bytes.Count == 0 ? null : throw new InvalidDataException("connection closed inside a request head");
            }

            bytes.Add(one[0]);
            if (bytes.Count > MaxHeadBytes) throw new InvalidDataException("request head too long");
        }

        var lines = Encoding.ASCII.GetString(bytes.ToArray()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var requestLine = lines[0].Split(' ');
        if (requestLine.Length != 3) throw new InvalidDataException($"bad request line: {lines[0]}");
        var headers = lines.Skip(1).Select(line =>
        {
            var colon = line.IndexOf(':');
            return colon <= 0 ? throw new InvalidDataException($"bad header: {line}") : (line[..colon].Trim(), line[(colon + 1)..].Trim());
        }).ToArray();
        return new ProxyRequestHead(requestLine[0], requestLine[1], headers);
    }

    private static bool EndsWithBlankLine(List<byte> bytes) =>
        bytes.Count >= 4 && bytes[^4] == '\r' && bytes[^3] == '\n' && bytes[^2] == '\r' && bytes[^1] == '\n';
}
