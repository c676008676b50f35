using System.Text;
using ApicastSidecarProxy.Logging;

namespace ApicastSidecarProxy.Tests.Logging;

public class LogBatchWriterTests
{
    // Dispose waits this long for the writer thread here, so a starved machine cannot cut the last batch short.
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public void Lines_AreWrittenInOrder_AndTheLastBatchOnDispose()
    {
        var stdout = new MemoryStream();
        using (var writer = new LogBatchWriter(stdout, finalWriteTimeout: Patience))
        {
            for (var i = 0; i < 1000; i++)
            {
                writer.Append(new StringBuilder($"line {i}\n"));
            }
        }

        var lines = Encoding.UTF8.GetString(stdout.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(Enumerable.Range(0, 1000).Select(i => $"line {i}"), lines);
    }

    [Fact]
    public async Task LinesFromManyThreadsAtOnce_EachArriveOnceAndWhole()
    {
        var stdout = new MemoryStream();
        using (var writer = new LogBatchWriter(stdout, finalWriteTimeout: Patience))
        {
            var threads = Enumerable.Range(0, 8).Select(t => Task.Run(() =>
            {
                for (var i = 0; i < 2000; i++)
                {
                    writer.Append(new StringBuilder($"thread {t} line {i} {new string('x', i % 50)}\n"));
                }
            }));
            await Task.WhenAll(threads).WaitAsync(TimeSpan.FromSeconds(60));
            Assert.Equal(0, writer.DroppedLines);
        }

        var lines = Encoding.UTF8.GetString(stdout.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var expected = from t in Enumerable.Range(0, 8)
                       from i in Enumerable.Range(0, 2000)
                       select $"thread {t} line {i} {new string('x', i % 50)}";
        Assert.Equal(expected.Order(), lines.Order());
    }

    [Fact]
    public async Task AnOutputThatIsNotRead_NeverBlocksAppend_LinesBeyondTheCapacityAreDroppedAndCounted()
    {
        using var stdout = new BlockingStream();
        var writer = new LogBatchWriter(stdout, capacityChars: 100, finalWriteTimeout: Patience);
        writer.Append(new StringBuilder("first line, taken by the writer thread, which then blocks on the output\n"));
        Assert.True(stdout.WriteStarted.Wait(TimeSpan.FromSeconds(30)), "the writer thread never wrote");

        // 10 characters a line: 10 fit while the output is blocked, the other 90 are dropped, and no call waits
        // (a call that waited would end this test with a TimeoutException).
        await Task.Run(() =>
        {
            for (var i = 0; i < 100; i++)
            {
                writer.Append(new StringBuilder($"line {i:D4}\n"));
            }
        }).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(90, writer.DroppedLines);
        stdout.Release();
        writer.Dispose();
        var written = Encoding.UTF8.GetString(stdout.Written.ToArray());
        Assert.Contains("line 0009\n", written);
        Assert.DoesNotContain("line 0010", written);
    }

    [Fact]
    public async Task AnOutputThatNeverReturns_DelaysDisposeByTheFinalWriteTimeoutOnly()
    {
        using var stdout = new BlockingStream();
        var writer = new LogBatchWriter(stdout, finalWriteTimeout: TimeSpan.FromMilliseconds(200));
        writer.Append(new StringBuilder("a line\n"));
        Assert.True(stdout.WriteStarted.Wait(TimeSpan.FromSeconds(30)), "the writer thread never wrote");

        await Task.Run(writer.Dispose).WaitAsync(TimeSpan.FromSeconds(30)); // a TimeoutException: Dispose waited on
        stdout.Release();
    }

    [Fact]
    public void AClosedOutput_CountsItsLostLinesAsDropped_AndServingGoesOn()
    {
        using var stdout = new BrokenPipeStream();
        var writer = new LogBatchWriter(stdout, finalWriteTimeout: Patience);
        writer.Append(new StringBuilder("one\n"));
        writer.Append(new StringBuilder("two\n"));

        writer.Dispose();
        writer.Append(new StringBuilder("after dispose\n"));

        Assert.Equal(3, writer.DroppedLines);
    }

    /// <summary>A stdout whose reader has gone: every write fails as with EPIPE.</summary>
    private sealed class BrokenPipeStream : WriteOnlyStream
    {
        public override void Write(byte[] buffer, int offset, int count) => throw new IOException("Broken pipe");
    }

    /// <summary>A stdout nobody reads: every write blocks until <see cref="Release"/>.</summary>
    private sealed class BlockingStream : WriteOnlyStream
    {
        private readonly ManualResetEventSlim _released = new();

        public ManualResetEventSlim WriteStarted { get; } = new();

        public MemoryStream Written { get; } = new();

        public void Release() => _released.Set();

        public override void Write(byte[] buffer, int offset, int count)
        {
            WriteStarted.Set();
            _released.Wait();
            lock (Written)
            {
                Written.Write(buffer, offset, count);
            }
        }
    }

    /// <summary>A stdout stand-in: writing is all a log writer does with it.</summary>
    private abstract class WriteOnlyStream : Stream
    {
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
