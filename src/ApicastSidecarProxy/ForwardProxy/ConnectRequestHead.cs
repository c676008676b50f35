using System.Buffers;
using System.Globalization;
using System.Net;
using System.Text;
using ApicastSidecarProxy.Configuration;

namespace ApicastSidecarProxy.ForwardProxy;

/// <summary>
/// Reads the head of a CONNECT request on the forward listener: the one HTTP parser this project writes, because
/// Kestrel does not tunnel CONNECT. Strict and bounded: CRLF line ends only, US-ASCII only, no folded header lines, at
/// most <see cref="MaxHeaderLines"/> header lines within <see cref="ForwardProxyOptions.MaxRequestHeadBytes"/>, and a
/// target in authority form (host:port, RFC 9110 section 9.3.6). Headers are checked for form and otherwise ignored:
/// the listener takes no credentials from its clients.
/// </summary>
public static class ConnectRequestHead
{
    public const int MaxHeaderLines = 100;

    private static readonly byte[] Connect = "CONNECT "u8.ToArray();
    private static readonly byte[] EndOfHead = "\r\n\r\n"u8.ToArray();
    private static readonly byte[] BareEndOfHead = "\n\n"u8.ToArray();

    public enum Kind
    {
        /// <summary>Not enough bytes yet to tell.</summary>
        Incomplete,

        /// <summary>Not a CONNECT: another request, for Kestrel to parse.</summary>
        OtherRequest,

        /// <summary>A complete, valid CONNECT head.</summary>
        Connect,

        /// <summary>A CONNECT whose head is malformed.</summary>
        Malformed,

        /// <summary>A CONNECT whose head does not end within the size limit.</summary>
        TooLarge,
    }

    /// <summary>What the buffer holds so far.</summary>
    /// <param name="Target">For <see cref="Kind.Connect"/>: the host (IPv6 without brackets) and port.</param>
    /// <param name="HeadLength">For <see cref="Kind.Connect"/>: the bytes of the head, to consume.</param>
    /// <param name="Problem">For <see cref="Kind.Malformed"/>: what is wrong, in plain words.</param>
    public sealed record Result(Kind Kind, (string Host, int Port) Target = default, long HeadLength = 0, string? Problem = null);

    public static Result Read(ReadOnlySequence<byte> buffer, int maxHeadBytes = ForwardProxyOptions.MaxRequestHeadBytes)
    {
        var prefixLength = (int)Math.Min(buffer.Length, Connect.Length);
        Span<byte> prefix = stackalloc byte[Connect.Length];
        buffer.Slice(0, prefixLength).CopyTo(prefix);
        if (!prefix[..prefixLength].SequenceEqual(Connect.AsSpan(0, prefixLength)))
        {
            return new Result(Kind.OtherRequest);
        }

        var reader = new SequenceReader<byte>(buffer);
        if (!reader.TryReadTo(out ReadOnlySequence<byte> head, EndOfHead, advancePastDelimiter: true))
        {
            // A head ended by bare line feeds would otherwise wait for a CRLF CRLF that never comes.
            return new SequenceReader<byte>(buffer).TryReadTo(out ReadOnlySequence<byte> _, BareEndOfHead)
                ? new Result(Kind.Malformed, Problem: "the request head's lines do not end with CRLF")
                : new Result(buffer.Length >= maxHeadBytes ? Kind.TooLarge : Kind.Incomplete);
        }

        if (reader.Consumed > maxHeadBytes)
        {
            return new Result(Kind.TooLarge);
        }

        var problem = Parse(head.ToArray(), out var target);
        return problem is null
            ? new Result(Kind.Connect, target, reader.Consumed)
            : new Result(Kind.Malformed, Problem: problem);
    }

    private static string? Parse(byte[] head, out (string Host, int Port) target)
    {
        target = default;
        foreach (var b in head)
        {
            if (b is > 0x7E or (< 0x20 and not (byte)'\r' and not (byte)'\n' and not (byte)'\t'))
            {
                return "the request head holds a byte that is not printable US-ASCII";
            }
        }

        var lines = Encoding.ASCII.GetString(head).Split("\r\n");
        if (lines.Any(line => line.Contains('\r') || line.Contains('\n')))
        {
            return "a line of the request head does not end with CRLF";
        }

        var requestLine = lines[0].Split(' ');
        if (requestLine.Length != 3 || requestLine[2] is not ("HTTP/1.1" or "HTTP/1.0"))
        {
            return "the request line is not 'CONNECT host:port HTTP/1.1'";
        }

        if (lines.Length - 1 > MaxHeaderLines)
        {
            return $"more than {MaxHeaderLines} header lines";
        }

        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':');
            if (colon <= 0 || !line.AsSpan(0, colon).ContainsOnlyToken())
            {
                return "a header line is not 'name: value' (folded lines are not accepted)";
            }
        }

        return TryParseAuthority(requestLine[1], out target)
            ? null
            : "the CONNECT target is not host:port (a host name, an IPv4 address or a bracketed IPv6 address, and a port 1-65535)";
    }

    /// <summary>Parses <c>host:port</c>, <c>[ipv6]:port</c>; the port is required.</summary>
    public static bool TryParseAuthority(string authority, out (string Host, int Port) target)
    {
        target = default;
        var colon = authority.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(authority.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port)
            || port is < 1 or > 65535 || authority.Length - colon - 1 > 5)
        {
            return false;
        }

        var host = authority[..colon];
        if (host.StartsWith('[') && host.EndsWith(']'))
        {
            host = host[1..^1];
            if (!IPAddress.TryParse(host, out var v6) || v6.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6)
            {
                return false;
            }
        }
        else if (!ForwardAllowList.IsHostName(host))
        {
            return false;
        }

        target = (host, port);
        return true;
    }

    private static bool ContainsOnlyToken(this ReadOnlySpan<char> name)
    {
        foreach (var c in name)
        {
            if (c <= ' ' || c >= 0x7F || "\"(),/:;<=>?@[\\]{}".Contains(c))
            {
                return false;
            }
        }

        return true;
    }
}
