using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ApicastSidecarProxy.Tests.Egress.Pac;

/// <summary>
/// A minimal HTTP/1.1 server on 127.0.0.1 and a port picked by the system: one request per connection, answered with
/// whatever <see cref="Respond"/> returns at the time. Records each request head.
/// </summary>
internal sealed class LoopbackHttpServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _accepting;

    public LoopbackHttpServer(Func<Response> respond)
    {
        Respond = respond;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public sealed record Response(int Status, byte[] Body, bool SendContentLength = true)
    {
        public static Response Text(string body, int status = 200) => new(status, Encoding.UTF8.GetBytes(body));
    }

    public Func<Response> Respond { get; set; }

    public Uri Url => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");

    public List<string> RequestHeads { get; } = [];

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Stop();
        try
        {
            await _accepting;
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        _stopping.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            using var client = await _listener.AcceptTcpClientAsync(_stopping.Token);
            await using var stream = client.GetStream();
            var head = await ReadHeadAsync(stream);
            lock (RequestHeads)
            {
                RequestHeads.Add(head);
            }

            var response = Respond();
            var headers = $"HTTP/1.1 {response.Status} Status\r\nConnection: close\r\n"
                + (response.SendContentLength ? $"Content-Length: {response.Body.Length}\r\n" : "") + "\r\n";
            await stream.WriteAsync(Encoding.ASCII.GetBytes(headers), _stopping.Token);
            try
            {
                await stream.WriteAsync(response.Body, _stopping.Token);
            }
            catch (IOException)
            {
                // The client stopped reading a body it found too large.
            }
        }
    }

    private async Task<string> ReadHeadAsync(NetworkStream stream)
    {
        var head = new StringBuilder();
        var buffer = new byte[1];
        while (head.Length < 64 * 1024 && !head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal)
               && await stream.ReadAsync(buffer, _stopping.Token) == 1)
        {
            head.Append((char)buffer[0]);
        }

        return head.ToString();
    }
}
