using System.Diagnostics;
using System.IO.Pipelines;
using System.Net;
using System.Text;
using ApicastSidecarProxy.Configuration;
using ApicastSidecarProxy.Egress;
using ApicastSidecarProxy.Failures;
using ApicastSidecarProxy.Forwarding;
using ApicastSidecarProxy.Logging;
using ApicastSidecarProxy.Metrics;
using ApicastSidecarProxy.Redaction;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Logging;

namespace ApicastSidecarProxy.ForwardProxy;

/// <summary>
/// Connection middleware of the forward listener. A connection that opens with CONNECT is served here (Kestrel does
/// not tunnel CONNECT): the head is read within CLIENT_HEADER_TIMEOUT, the destination checked against
/// FORWARD_PROXY_ALLOW before anything is connected, the tunnel opened through the corporate proxy, answered
/// "200 Connection established" and relayed. Any other connection goes on to Kestrel untouched (absolute-form
/// http:// requests, see <see cref="ForwardRequests"/>). One access-log line per tunnel.
/// </summary>
public sealed class ForwardTunnelHandler(
    ForwardProxyOptions options,
    TunnelOpener opener,
    TimeSpan headerTimeout,
    TimeSpan idleTimeout,
    SecretScrubber scrubber,
    SidecarMetrics metrics,
    ILogger accessLogger)
{
    public const string RouteName = "forward";

    private static readonly byte[] Established = "HTTP/1.1 200 Connection established\r\n\r\n"u8.ToArray();
    private int _openTunnels;

    public async Task OnConnectionAsync(ConnectionContext connection, ConnectionDelegate next)
    {
        var input = connection.Transport.Input;
        using var headDeadline = CancellationTokenSource.CreateLinkedTokenSource(connection.ConnectionClosed);
        headDeadline.CancelAfter(headerTimeout);
        var started = Stopwatch.GetTimestamp();
        while (true)
        {
            ReadResult read;
            try
            {
                read = await input.ReadAsync(headDeadline.Token);
            }
            catch (OperationCanceledException)
            {
                return; // a head that never ends (slow loris), or a client gone: close
            }

            var head = ConnectRequestHead.Read(read.Buffer);
            switch (head.Kind)
            {
                case ConnectRequestHead.Kind.OtherRequest:
                    input.AdvanceTo(read.Buffer.Start, read.Buffer.Start); // unread: Kestrel parses it from the start
                    await next(connection);
                    return;
                case ConnectRequestHead.Kind.Incomplete when !read.IsCompleted:
                    input.AdvanceTo(read.Buffer.Start, read.Buffer.End);
                    continue;
                case ConnectRequestHead.Kind.Incomplete:
                    return;
                case ConnectRequestHead.Kind.TooLarge:
                    input.AdvanceTo(read.Buffer.End);
                    await RefuseAsync(connection, "-", started, new ForwardingFailure(FailureCode.RequestHeadTooLarge, ForwardingFailure.ClientHop,
                        HttpStatusCode.RequestHeaderFieldsTooLarge,
                        $"the CONNECT request head is larger than {ForwardProxyOptions.MaxRequestHeadBytes} bytes"));
                    return;
                case ConnectRequestHead.Kind.Malformed:
                    input.AdvanceTo(read.Buffer.End);
                    await RefuseAsync(connection, "-", started, new ForwardingFailure(FailureCode.BadRequestTarget, ForwardingFailure.ClientHop,
                        HttpStatusCode.BadRequest, head.Problem!));
                    return;
                case ConnectRequestHead.Kind.Connect:
                    input.AdvanceTo(read.Buffer.GetPosition(head.HeadLength)); // bytes after the head belong to the tunnel
                    await TunnelAsync(connection, head.Target.Host, head.Target.Port, started);
                    return;
                default:
                    throw new InvalidOperationException($"unexpected head kind {head.Kind}");
            }
        }
    }

    private async Task TunnelAsync(ConnectionContext connection, string host, int port, long started)
    {
        var target = host.Contains(':') ? $"[{host}]:{port}" : $"{host}:{port}";
        if (!options.Allow.Allows(host, port, tunnel: true))
        {
            await RefuseAsync(connection, target, started, new ForwardingFailure(FailureCode.ForwardDenied, ForwardingFailure.ClientHop,
                HttpStatusCode.Forbidden, $"{target} is not in {SettingNames.ForwardProxyAllow}"));
            return;
        }

        if (Interlocked.Increment(ref _openTunnels) > options.MaxTunnels)
        {
            Interlocked.Decrement(ref _openTunnels);
            await RefuseAsync(connection, target, started, new ForwardingFailure(FailureCode.ForwardTunnelLimit, ForwardingFailure.ClientHop,
                HttpStatusCode.ServiceUnavailable, $"{options.MaxTunnels} tunnels are open ({SettingNames.ForwardProxyMaxTunnels})"));
            return;
        }

        var path = OutboundPath.Begin();
        try
        {
            var (tunnel, failure) = await opener.OpenAsync(host, port, path, connection.ConnectionClosed);
            if (tunnel is null)
            {
                await RefuseAsync(connection, target, started, failure!, path);
                return;
            }

            await using (tunnel)
            {
                await connection.Transport.Output.WriteAsync(Established, connection.ConnectionClosed);
                var (sent, received) = await TunnelRelay.RunAsync(connection.Transport, tunnel, idleTimeout, connection.ConnectionClosed);
                Record(connection, target, 200, started, sent, received, failure: null, path);
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ConnectionResetException)
        {
            Record(connection, target, (int)ForwardingFailureClassifier.ClientClosedRequest, started, 0, 0,
                ForwardingFailureClassifier.ClientWentAway, path);
        }
        finally
        {
            Interlocked.Decrement(ref _openTunnels);
        }
    }

    /// <summary>Answers the CONNECT with the sidecar's error (status, X-Sidecar-Error, JSON body) and closes.</summary>
    private async Task RefuseAsync(ConnectionContext connection, string target, long started, ForwardingFailure failure,
        OutboundPath? path = null)
    {
        var body = ErrorResponseWriter.Body(failure, scrubber);
        var head = $"HTTP/1.1 {(int)failure.Status} {ReasonPhrases.GetReasonPhrase((int)failure.Status)}\r\n" +
            $"Content-Type: application/json\r\n{ErrorResponseWriter.ErrorHeader}: {failure.CodeText}\r\n" +
            $"Content-Length: {body.Length}\r\nConnection: close\r\n\r\n";
        try
        {
            await connection.Transport.Output.WriteAsync(Encoding.ASCII.GetBytes(head), connection.ConnectionClosed);
            await connection.Transport.Output.WriteAsync(body, connection.ConnectionClosed);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ConnectionResetException)
        {
            // The client is gone; the line below still records the refusal.
        }

        Record(connection, target, (int)failure.Status, started, 0, body.Length, failure, path);
    }

    private void Record(ConnectionContext connection, string target, int status, long started, long sent, long received,
        ForwardingFailure? failure, OutboundPath? path)
    {
        var elapsed = Stopwatch.GetElapsedTime(started);
        var client = (connection.RemoteEndPoint as IPEndPoint)?.Address;
        metrics.RecordExchange(RouteName, "CONNECT", status, failure, elapsed.TotalSeconds, sent, received);
        if (failure is null)
        {
            AccessLog.Exchange(accessLogger, RouteName, "CONNECT", target, status, elapsed.TotalMilliseconds, sent, received, "-",
                client, proxy: path?.Description);
        }
        else
        {
            AccessLog.ExchangeFailed(accessLogger, RouteName, "CONNECT", target, status, elapsed.TotalMilliseconds, sent,
                received, failure.CodeText, failure.Hop, scrubber.Scrub(failure.Message), client, proxy: path?.Description);
        }
    }
}
