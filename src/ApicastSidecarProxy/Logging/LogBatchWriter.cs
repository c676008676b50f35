using System.Text;

namespace ApicastSidecarProxy.Logging;

/// <summary>
/// Where formatted log lines go: appended in memory under a short lock, then written to the output in one batch by a
/// thread of their own, at most <see cref="FlushInterval"/> after the first line of the batch, and on dispose. Request
/// threads never wait for the output and wake the writer at most once per batch, never per line (a thread switch per
/// line cost about a tenth of the throughput, measured). When the output is not read and <see cref="CapacityChars"/>
/// characters are waiting, or when it is closed, lines are dropped and counted.
/// </summary>
public sealed class LogBatchWriter : IDisposable
{
    public static readonly TimeSpan FlushInterval = TimeSpan.FromMilliseconds(20);

    /// <summary>About 10,000 text access-log lines, or 3,500 JSON ones.</summary>
    public const int DefaultCapacityChars = 2 * 1024 * 1024;

    private const int InitialBufferChars = 16 * 1024;

    // Batches under load stay well below this (20 ms of access lines at 15,000 requests/s is about 70 K characters), so
    // only a backlog grows a buffer past it: shrinking any earlier would re-grow it, through the large-object heap.
    private const int ShrinkAboveChars = 256 * 1024;

    private readonly Lock _gate = new();
    private readonly StreamWriter _output;
    private readonly TimeSpan _finalWriteTimeout;
    private readonly ManualResetEventSlim _hasLines = new();
    private readonly ManualResetEventSlim _stopping = new();
    private readonly Thread _writer;

    // Two buffers that trade places at each batch and are kept: a batch makes no garbage once they have grown.
    private char[] _pending = new char[InitialBufferChars];
    private int _pendingLength;
    private int _pendingLines;
    private char[] _writing = new char[InitialBufferChars];
    private bool _closed;
    private long _droppedLines;

    /// <param name="finalWriteTimeout">How long <see cref="Dispose"/> waits for the last batch (default 5 s).</param>
    public LogBatchWriter(Stream output, int capacityChars = DefaultCapacityChars, TimeSpan? finalWriteTimeout = null)
    {
        CapacityChars = capacityChars;
        _finalWriteTimeout = finalWriteTimeout ?? TimeSpan.FromSeconds(5);
        _output = new StreamWriter(output, new UTF8Encoding(false), bufferSize: 64 * 1024) { AutoFlush = false };
        _writer = new Thread(WriteBatches) { IsBackground = true, Name = "log writer" };
        _writer.Start();
    }

    public int CapacityChars { get; }

    /// <summary>Lines dropped so far: the output did not keep up, was closed, or this writer was disposed.</summary>
    public long DroppedLines => Interlocked.Read(ref _droppedLines);

    /// <summary>Queues <paramref name="line"/> (one complete line, newline included), or drops it.</summary>
    public void Append(StringBuilder line)
    {
        lock (_gate)
        {
            var length = _pendingLength + line.Length;
            if (!_closed && length <= CapacityChars)
            {
                if (length > _pending.Length)
                {
                    var larger = new char[Math.Min(CapacityChars, Math.Max(length, _pending.Length * 2))];
                    _pending.AsSpan(0, _pendingLength).CopyTo(larger);
                    _pending = larger;
                }

                line.CopyTo(0, _pending.AsSpan(_pendingLength), line.Length);
                _pendingLength = length;
                if (_pendingLines++ == 0)
                {
                    _hasLines.Set();
                }

                return;
            }
        }

        Interlocked.Increment(ref _droppedLines);
    }

    /// <summary>
    /// Has the writer thread write what is queued and stop. Waits for it at most the final write timeout: an output
    /// nobody reads must not keep the process from exiting.
    /// </summary>
    public void Dispose()
    {
        _stopping.Set();
        _hasLines.Set();
        _writer.Join(_finalWriteTimeout);
    }

    private void WriteBatches()
    {
        while (!_stopping.IsSet)
        {
            _hasLines.Wait();
            _stopping.Wait(FlushInterval); // lets the batch fill; cut short at stop
            WriteBatch(last: false);
        }

        WriteBatch(last: true);
    }

    private void WriteBatch(bool last)
    {
        int length, lines;
        lock (_gate)
        {
            (_pending, _writing) = (_writing, _pending);
            (length, _pendingLength) = (_pendingLength, 0);
            (lines, _pendingLines) = (_pendingLines, 0);
            _hasLines.Reset();
            _closed = last;
        }

        if (length > 0)
        {
            Write(length, lines);
        }

        if (_writing.Length > ShrinkAboveChars && length < _writing.Length / 4)
        {
            _writing = new char[InitialBufferChars]; // the backlog is over: give its memory back
        }
    }

    private void Write(int length, int lines)
    {
        try
        {
            _output.Write(_writing.AsSpan(0, length));
            _output.Flush();
        }
        catch (Exception)
        {
            // stdout closed or failing: the lines are lost, and counted; serving goes on regardless.
            Interlocked.Add(ref _droppedLines, lines);
        }
    }
}
