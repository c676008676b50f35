using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;

namespace ApicastSidecarProxy.FunctionalTests.Infrastructure;

/// <summary>
/// A CONNECT proxy on 127.0.0.1 that demands NTLM and verifies it for real: each connection gets a server-side
/// <see cref="NegotiateAuthentication"/> (package NTLM), which .NET hands to GSSAPI and gss-ntlmssp, which checks the
/// client's NTLMv2 response against <see cref="NtlmUserFile"/>. The handshake keeps its connection (407 with
/// <c>Content-Length: 0</c> between legs); once it completes the proxy answers 200 and relays bytes both ways.
/// Records every connection, request and the scheme of every <c>Proxy-Authorization</c> it received.
/// </summary>
public sealed class NtlmConnectProxy : IAsyncDisposable
{
    private const int MaxRequestsPerConnection = 10;
    private static readonly TimeSpan RequestHeadTimeout = TimeSpan.FromSeconds(30);

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly string[] _offeredSchemes;
    private readonly ConcurrentQueue<string> _receivedSchemes = new();
    private readonly ConcurrentQueue<string> _authenticatedUsers = new();
    private readonly ConcurrentBag<Task> _connections = [];
    private readonly Task _acceptLoop;
    private int _acceptedConnections;
    private int _requests;
    private int _rejectedHandshakes;

    private NtlmConnectProxy(string[] offeredSchemes)
    {
        _offeredSchemes = offeredSchemes;
        _listener.Start();
        _acceptLoop = AcceptAsync();
    }

    /// <summary>
    /// Starts a proxy that lets <paramref name="domain"/>\<paramref name="user"/> in and offers
    /// <paramref name="offeredSchemes"/> in its 407 (default: NTLM); only NTLM tokens are ever accepted.
    /// </summary>
    public static NtlmConnectProxy Start(string domain, string user, string password, params string[] offeredSchemes)
    {
        NtlmUserFile.Add(domain, user, password);
        return new NtlmConnectProxy(offeredSchemes.Length == 0 ? ["NTLM"] : offeredSchemes);
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public Uri ProxyUri => new($"http://127.0.0.1:{Port}");

    public int AcceptedConnections => Volatile.Read(ref _acceptedConnections);

    /// <summary>CONNECT requests received, on all connections, whatever their outcome.</summary>
    public int Requests => Volatile.Read(ref _requests);

    /// <summary>Handshakes that ended with a wrong password (or a token gss-ntlmssp refused).</summary>
    public int RejectedHandshakes => Volatile.Read(ref _rejectedHandshakes);

    /// <summary>The scheme of each Proxy-Authorization header received, in order.</summary>
    public IReadOnlyList<string> ReceivedSchemes => _receivedSchemes.ToArray();

    /// <summary>DOMAIN\user of each tunnel opened.</summary>
    public IReadOnlyList<string> AuthenticatedUsers => _authenticatedUsers.ToArray();

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        await Task.WhenAll([_acceptLoop, .. _connections]);
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            Interlocked.Increment(ref _acceptedConnections);
            _connections.Add(ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        var stream = client.GetStream();
        NegotiateAuthentication? ntlm = null;
        try
        {
            for (var request = 0; request < MaxRequestsPerConnection; request++)
            {
                using var headTimeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                headTimeout.CancelAfter(RequestHeadTimeout);
                if (await ProxyRequestHead.ReadAsync(stream, headTimeout.Token) is not { } head) return;
                Interlocked.Increment(ref _requests);
                if (head.Method != "CONNECT")
                {
                    await WriteAsync(stream, "HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
                    return;
                }

                if (head.ProxyAuthorization is not { } authorization)
                {
                    await ChallengeAsync(stream);
                    continue;
                }

                var (scheme, token) = authorization;
                _receivedSchemes.Enqueue(scheme);
                if (!scheme.Equals("NTLM", StringComparison.OrdinalIgnoreCase))
                {
                    await ChallengeAsync(stream);
                    continue;
                }

                ntlm ??= new NegotiateAuthentication(new NegotiateAuthenticationServerOptions { Package = "NTLM" });
                var answer = ntlm.GetOutgoingBlob(Convert.FromBase64String(token), out var status);
                if (status == NegotiateAuthenticationStatusCode.ContinueNeeded)
                {
                    await WriteAsync(stream, $"HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: NTLM {Convert.ToBase64String(answer!)}\r\nContent-Length: 0\r\n\r\n");
                    continue;
                }

                if (status != NegotiateAuthenticationStatusCode.Completed)
                {
                    Interlocked.Increment(ref _rejectedHandshakes);
                    await ChallengeAsync(stream, close: true);
                    return;
                }

                _authenticatedUsers.Enqueue(ntlm.RemoteIdentity.Name ?? "");
                await TunnelAsync(stream, head.Target);
                return;
            }
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException
                                       or InvalidDataException or FormatException)
        {
            // The client went away or spoke nonsense: drop the connection, as a proxy does.
        }
        finally
        {
            ntlm?.Dispose();
        }
    }

    private Task ChallengeAsync(Stream stream, bool close = false) => WriteAsync(stream,
        "HTTP/1.1 407 Proxy Authentication Required\r\n"
        + string.Concat(_offeredSchemes.Select(scheme => $"Proxy-Authenticate: {scheme}\r\n"))
        + $"Content-Length: 0\r\n{(close ? "Connection: close\r\n" : "")}\r\n");

    private async Task TunnelAsync(NetworkStream client, string target)
    {
        var colon = target.LastIndexOf(':');
        using var upstream = new TcpClient();
        try
        {
            await upstream.ConnectAsync(target[..colon], int.Parse(target[(colon + 1)..]), _stop.Token);
        }
        catch (SocketException)
        {
            await WriteAsync(client, "HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
            return;
        }

        await WriteAsync(client, "HTTP/1.1 200 Connection established\r\n\r\n");
        var upstreamStream = upstream.GetStream();
        // Either side closing ends the tunnel; disposing both sockets stops the other copy.
        await Task.WhenAny(client.CopyToAsync(upstreamStream, _stop.Token), upstreamStream.CopyToAsync(client, _stop.Token));
    }

    private async Task WriteAsync(Stream stream, string text) =>
        await stream.WriteAsync(Encoding.ASCII.GetBytes(text), _stop.Token);
}
