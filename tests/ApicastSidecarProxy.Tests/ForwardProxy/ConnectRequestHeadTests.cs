using System.Buffers;
using System.Text;
using ApicastSidecarProxy.ForwardProxy;

namespace ApicastSidecarProxy.Tests.ForwardProxy;

public class ConnectRequestHeadTests
{
    private static ConnectRequestHead.Result Read(string text, int max = 16 * 1024) =>
        ConnectRequestHead.Read(new ReadOnlySequence<byte>(Encoding.Latin1.GetBytes(text)), max);

    [Theory]
    [InlineData("CONNECT idp.example:443 HTTP/1.1\r\nHost: idp.example:443\r\n\r\n", "idp.example", 443)]
    [InlineData("CONNECT 10.0.0.5:8443 HTTP/1.0\r\n\r\n", "10.0.0.5", 8443)]
    [InlineData("CONNECT [::1]:443 HTTP/1.1\r\nUser-Agent: curl/7.88\r\nProxy-Connection: Keep-Alive\r\n\r\n", "::1", 443)]
    public void ValidConnect_GivesTheTarget_AndTheHeadLength(string head, string host, int port)
    {
        var result = Read(head + "\x16\x03\x01 early TLS bytes");

        Assert.Equal(ConnectRequestHead.Kind.Connect, result.Kind);
        Assert.Equal((host, port), result.Target);
        Assert.Equal(head.Length, result.HeadLength);
    }

    [Theory]
    [InlineData("GET http://idp.example/ HTTP/1.1\r\n\r\n")]
    [InlineData("GET / HTTP/1.1\r\n")]
    [InlineData("connect idp.example:443 HTTP/1.1\r\n\r\n")]
    [InlineData("CONNECTX")]
    [InlineData("\x16\x03\x01")]
    public void AnythingButConnect_IsLeftToKestrel(string text)
    {
        Assert.Equal(ConnectRequestHead.Kind.OtherRequest, Read(text).Kind);
    }

    [Theory]
    [InlineData("")]
    [InlineData("CONN")]
    [InlineData("CONNECT idp.example:443 HTTP/1.1\r\nHost: idp")]
    public void PartialHead_IsIncomplete(string text)
    {
        Assert.Equal(ConnectRequestHead.Kind.Incomplete, Read(text).Kind);
    }

    [Theory]
    [InlineData("CONNECT idp.example HTTP/1.1\r\n\r\n")]
    [InlineData("CONNECT idp.example:0 HTTP/1.1\r\n\r\n")]
    [InlineData("CONNECT idp.example:65536 HTTP/1.1\r\n\r\n")]
    [InlineData("CONNECT idp.example:000443 HTTP/1.1\r\n\r\n")]
    [InlineData("CONNECT idp.example:443 HTTP/2\r\n\r\n")]
    [InlineData("CONNECT  idp.example:443 HTTP/1.1\r\n\r\n")]
    [InlineData("CONNECT idp.example:443\r\n\r\n")]
    [InlineData("CONNECT http://idp.example:443/ HTTP/1.1\r\n\r\n")]
    [InlineData("CONNECT user@idp.example:443 HTTP/1.1\r\n\r\n")]
    [InlineData("CONNECT [idp.example]:443 HTTP/1.1\r\n\r\n")]
    [InlineData("CONNECT ::1:443 HTTP/1.1\r\n\r\n")]
    [InlineData("CONNECT idp.example:443 HTTP/1.1\r\nNo colon here\r\n\r\n")]
    [InlineData("CONNECT idp.example:443 HTTP/1.1\r\n folded: header\r\n\r\n")]
    [InlineData("CONNECT idp.example:443 HTTP/1.1\r\nBad Name: x\r\n\r\n")]
    [InlineData("CONNECT idp.example:443 HTTP/1.1\r\nX: a\nY: b\r\n\r\n")]
    [InlineData("CONNECT idp.example:443 HTTP/1.1\nHost: idp.example\n\n")]
    [InlineData("CONNECT idp.example:443 HTTP/1.1\r\nX: caf\u00e9\r\n\r\n")]
    [InlineData("CONNECT idp.example:443 HTTP/1.1\r\nX: \u0000\r\n\r\n")]
    [InlineData("CONNECT idp\u001b.example:443 HTTP/1.1\r\n\r\n")]
    public void MalformedHead_IsRefusedWithAReason(string text)
    {
        var result = Read(text);

        Assert.Equal(ConnectRequestHead.Kind.Malformed, result.Kind);
        Assert.False(string.IsNullOrEmpty(result.Problem));
    }

    [Fact]
    public void HeadsOverTheLimit_AreTooLarge_WhetherEndedOrNot()
    {
        var big = "CONNECT idp.example:443 HTTP/1.1\r\nX: " + new string('a', 200);

        Assert.Equal(ConnectRequestHead.Kind.TooLarge, Read(big, max: 100).Kind);
        Assert.Equal(ConnectRequestHead.Kind.TooLarge, Read(big + "\r\n\r\n", max: 100).Kind);
    }

    [Fact]
    public void TooManyHeaderLines_AreMalformed()
    {
        var head = "CONNECT idp.example:443 HTTP/1.1\r\n" + string.Concat(Enumerable.Range(0, 101).Select(i => $"X-{i}: v\r\n")) + "\r\n";

        Assert.Equal(ConnectRequestHead.Kind.Malformed, Read(head).Kind);
    }

    [Fact]
    public void HeadSplitOverSegments_IsReadTheSame()
    {
        var bytes = Encoding.ASCII.GetBytes("CONNECT idp.example:443 HTTP/1.1\r\nHost: idp.example:443\r\n\r\n");
        var first = new Segment(bytes.AsMemory(0, 10));
        var last = first.Append(bytes.AsMemory(10, 20)).Append(bytes.AsMemory(30));

        var result = ConnectRequestHead.Read(new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length));

        Assert.Equal(ConnectRequestHead.Kind.Connect, result.Kind);
        Assert.Equal(("idp.example", 443), result.Target);
    }

    /// <summary>Fuzz: random and mutated heads never throw, and a Connect result always has a valid target.</summary>
    [Fact]
    public void RandomInput_NeverThrows_AndNeverYieldsAnInvalidTarget()
    {
        var random = new Random(20261207);
        var seed = Encoding.ASCII.GetBytes("CONNECT idp.example:443 HTTP/1.1\r\nHost: idp.example:443\r\n\r\n");
        for (var i = 0; i < 20_000; i++)
        {
            var bytes = i % 2 == 0 ? Mutate(seed, random) : RandomBytes(random);
            var result = ConnectRequestHead.Read(new ReadOnlySequence<byte>(bytes), 256);
            if (result.Kind == ConnectRequestHead.Kind.Connect)
            {
                Assert.InRange(result.Target.Port, 1, 65535);
                Assert.True(ConnectRequestHead.TryParseAuthority(
                    result.Target.Host.Contains(':') ? $"[{result.Target.Host}]:{result.Target.Port}" : $"{result.Target.Host}:{result.Target.Port}", out _));
                Assert.InRange(result.HeadLength, 1, bytes.Length);
            }
        }
    }

    private static byte[] Mutate(byte[] seed, Random random)
    {
        var bytes = seed.ToList();
        for (var edits = random.Next(1, 6); edits > 0; edits--)
        {
            var at = random.Next(bytes.Count);
            switch (random.Next(3))
            {
                case 0: bytes[at] = (byte)random.Next(256); break;
                case 1: bytes.Insert(at, (byte)random.Next(256)); break;
                default: if (bytes.Count > 1) bytes.RemoveAt(at); break;
            }
        }

        return bytes.ToArray();
    }

    private static byte[] RandomBytes(Random random)
    {
        var bytes = new byte[random.Next(0, 300)];
        random.NextBytes(bytes);
        if (random.Next(2) == 0 && bytes.Length >= 8) "CONNECT "u8.CopyTo(bytes);
        return bytes;
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory) => Memory = memory;

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory) { RunningIndex = RunningIndex + Memory.Length };
            Next = next;
            return next;
        }
    }
}
