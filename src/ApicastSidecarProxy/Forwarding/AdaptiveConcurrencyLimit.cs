using ApicastSidecarProxy.Configuration;
using ApicastSidecarProxy.Metrics;

namespace ApicastSidecarProxy.Forwarding;

/// <summary>
/// How many exchanges of a route may be in flight to its upstream at once: at least <see cref="Floor"/>, at most
/// <see cref="Ceiling"/> (UPSTREAM_MAX_CONNECTIONS), and in between as many as still buy answers. Each exchange in
/// flight holds a connection: through a proxy, a CONNECT tunnel and a TLS session, 80-90 KB. When the upstream answers
/// in a time of its own (a distant or slow upstream), more exchanges in flight give more answers per second, and the
/// limit grows; when answers take longer the more are in flight (the sidecar, the proxy or the upstream out of CPU),
/// more connections would only queue the same work elsewhere, at the price of their memory, and the limit stays or
/// falls back. Exchanges over the limit wait here, first come first served.
/// </summary>
/// <remarks>
/// Decided once per window of answers (at least as many as the limit, about one round trip of all of them), and only
/// when exchanges had to wait during it: the limit grows by a quarter when the window's mean answer time is within
/// <see cref="GrowthRatio"/> of the fastest answer seen lately, and falls by an eighth when it is beyond
/// <see cref="ShrinkRatio"/> of it. "Lately": the fastest answer is taken again from a window in which no exchange
/// waited (the path's own pace, nothing queued), and from any window every <see cref="WindowsPerBaseline"/> windows,
/// so that a path that became slower for good under constant load is relearnt. Taken from a queued window only that
/// rarely: when answers slow down in step with the number in flight, a baseline taken at the current limit would let
/// the limit climb a step each time.
/// </remarks>
public sealed class AdaptiveConcurrencyLimit : IConcurrencyReadings
{
    /// <summary>The limit a route starts at and never goes under (or UPSTREAM_MAX_CONNECTIONS when lower).</summary>
    public const int DefaultFloor = SidecarOptions.DefaultUpstreamConcurrencyFloor;

    public const double GrowthRatio = 1.5;
    public const double ShrinkRatio = 3;
    public const int MinimumWindow = 16;
    public const int WindowsPerBaseline = 256;

    private readonly Lock _gate = new();
    private readonly LinkedList<TaskCompletionSource> _waiters = new();
    private readonly TimeProvider _time;
    private int _limit;
    private int _inFlight;

    private int _samples;
    private long _sumTicks;
    private long _fastestTicks = long.MaxValue;
    private bool _waitedInWindow;
    private long _baselineTicks = long.MaxValue;
    private int _windows;

    public AdaptiveConcurrencyLimit(int ceiling, int floor = DefaultFloor, TimeProvider? time = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(ceiling, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(floor, 1);
        _time = time ?? TimeProvider.System;
        Ceiling = ceiling;
        Floor = Math.Min(floor, ceiling);
        _limit = Floor;
    }

    public int Floor { get; }

    public int Ceiling { get; }

    public int Limit
    {
        get { lock (_gate) return _limit; }
    }

    public int InFlight
    {
        get { lock (_gate) return _inFlight; }
    }

    public int Waiting
    {
        get { lock (_gate) return _waiters.Count; }
    }

    /// <summary>
    /// Completes when the exchange may go: at once under the limit, else when an earlier exchange has left. Every
    /// completed entry must be matched by one <see cref="Exit"/>. Throws <see cref="TimeoutException"/> after
    /// <paramref name="timeout"/> of waiting, <see cref="OperationCanceledException"/> when cancelled; a failed wait
    /// holds nothing.
    /// </summary>
    public ValueTask EnterAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        LinkedListNode<TaskCompletionSource> node;
        lock (_gate)
        {
            if (_waiters.Count == 0 && _inFlight < _limit)
            {
                _inFlight++;
                return ValueTask.CompletedTask;
            }

            _waitedInWindow = true;
            node = _waiters.AddLast(new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        }

        return new ValueTask(WaitAsync(node, timeout, cancellationToken));
    }

    private async Task WaitAsync(LinkedListNode<TaskCompletionSource> node, TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            await node.Value.Task.WaitAsync(timeout, _time, cancellationToken);
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException)
        {
            bool granted;
            lock (_gate)
            {
                // Out of the list: granted as the wait ended; the turn goes to the next one.
                granted = node.List is null;
                if (!granted)
                {
                    _waiters.Remove(node);
                }
            }

            if (granted)
            {
                Exit(answerTime: null);
            }

            throw;
        }
    }

    /// <summary>An exchange has left. <paramref name="answerTime"/>: how long it took, when it got an answer (a failure
    /// or a 5xx says nothing of the upstream's pace).</summary>
    public void Exit(TimeSpan? answerTime)
    {
        TaskCompletionSource? next = null;
        List<TaskCompletionSource>? more = null;
        lock (_gate)
        {
            _inFlight--;
            if (answerTime is { } time)
            {
                Record(time.Ticks);
            }

            while (_inFlight < _limit && _waiters.First is { } first)
            {
                _waiters.RemoveFirst();
                _inFlight++;
                if (next is null)
                {
                    next = first.Value;
                }
                else
                {
                    (more ??= []).Add(first.Value);
                }
            }
        }

        // Their continuations run asynchronously: none of the waiting exchanges runs on this thread.
        next?.SetResult();
        more?.ForEach(waiter => waiter.SetResult());
    }

    private void Record(long ticks)
    {
        _samples++;
        _sumTicks += ticks;
        _fastestTicks = Math.Min(_fastestTicks, ticks);
        if (_samples < Math.Max(MinimumWindow, _limit))
        {
            return;
        }

        var mean = (double)_sumTicks / _samples;
        if (!_waitedInWindow || ++_windows % WindowsPerBaseline == 0)
        {
            _baselineTicks = _fastestTicks;
        }
        else
        {
            _baselineTicks = Math.Min(_baselineTicks, _fastestTicks);
            if (mean <= GrowthRatio * _baselineTicks)
            {
                _limit = Math.Min(Ceiling, _limit + Math.Max(_limit / 4, 1));
            }
            else if (mean > ShrinkRatio * _baselineTicks)
            {
                _limit = Math.Max(Floor, _limit - Math.Max(_limit / 8, 1));
            }
        }

        _samples = 0;
        _sumTicks = 0;
        _fastestTicks = long.MaxValue;
        _waitedInWindow = _waiters.Count > 0;
    }
}
