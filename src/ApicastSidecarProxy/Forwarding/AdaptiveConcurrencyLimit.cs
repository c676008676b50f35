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
/// Decided once per window of answers (at least as many as the limit, about one round trip of all of them, and at least
/// <see cref="MinimumWindowTime"/>), and only when exchanges had to wait during it, so that every turn was taken all
/// window long: the answers per second are then the limit over the mean answer time (Little's law). After a change
/// made on those grounds, one window is let pass, in which the answers still reflect the limit before (the new
/// exchanges have not queued behind each other yet), and the next judges it.
/// <list type="bullet">
/// <item>The answers keep the pace of the fastest seen lately (a mean within <see cref="GrowthRatio"/> of it): a
/// quarter more, at once.</item>
/// <item>Else a quarter more as a probe. It stays, and the limit grows again, when it brought at least 10% more answers
/// per second (<see cref="StepShare"/>: answers slowed by other load on the machine, not by the number in flight);
/// else the limit steps back to where it was and holds there for <see cref="HoldWindows"/> windows.</item>
/// <item>A mean beyond <see cref="ShrinkRatio"/> of the fastest: an eighth less, again and again while that costs no
/// more than 5% of the answers per second; when it costs more, back, hold, and the next probe goes up.</item>
/// </list>
/// "Lately": the fastest answer is taken again from a window in which no exchange waited (the path's own pace, nothing
/// queued), and from any window every <see cref="WindowsPerBaseline"/> windows, so that a path that became slower for
/// good under constant load is relearnt. Taken from a queued window only that rarely: when answers slow down in step
/// with the number in flight, a baseline taken at the current limit would let the limit climb a step each time.
/// </remarks>
public sealed class AdaptiveConcurrencyLimit : IConcurrencyReadings
{
    /// <summary>The limit a route starts at and never goes under (or UPSTREAM_MAX_CONNECTIONS when lower).</summary>
    public const int DefaultFloor = SidecarOptions.DefaultUpstreamConcurrencyFloor;

    public const double GrowthRatio = 1.5;
    public const double ShrinkRatio = 3;
    public const int MinimumWindow = 16;
    public const int WindowsPerBaseline = 256;
    public const int HoldWindows = 2;

    /// <summary>A window lasts at least this long: long enough that a pause (a collection, a busy moment of the machine)
    /// does not make its mean.</summary>
    public static readonly TimeSpan MinimumWindowTime = TimeSpan.FromMilliseconds(100);

    /// <summary>A move's share of the answers per second it would bring, were the answers to keep their time, that it
    /// must bring to stay: a quarter more in flight must bring a tenth more answers, an eighth fewer must cost no more
    /// than a twentieth.</summary>
    public const double StepShare = 0.4;

    private enum Move { None, Up, Down }

    private readonly Lock _gate = new();
    private readonly LinkedList<TaskCompletionSource> _waiters = new();
    private readonly TimeProvider _time;
    private int _limit;
    private int _inFlight;

    private long _windowStarted;
    private int _samples;
    private long _sumTicks;
    private long _fastestTicks = long.MaxValue;
    private bool _waitedInWindow;
    private long _baselineTicks = long.MaxValue;
    private int _windows;

    private Move _lastMove;
    private int _limitBefore;
    private double _answerRateBefore;
    private int _holding;
    private bool _settling;
    private bool _probeUpNext;

    public AdaptiveConcurrencyLimit(int ceiling, int floor = DefaultFloor, TimeProvider? time = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(ceiling, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(floor, 1);
        _time = time ?? TimeProvider.System;
        Ceiling = ceiling;
        Floor = Math.Min(floor, ceiling);
        _limit = Floor;
        _windowStarted = _time.GetTimestamp();
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
        if (_samples < Math.Max(MinimumWindow, _limit) || _time.GetElapsedTime(_windowStarted) < MinimumWindowTime)
        {
            return;
        }

        var mean = (double)_sumTicks / _samples;
        if (!_waitedInWindow || ++_windows % WindowsPerBaseline == 0)
        {
            _baselineTicks = _fastestTicks;
            _lastMove = Move.None;
        }
        else
        {
            _baselineTicks = Math.Min(_baselineTicks, _fastestTicks);
            if (_settling)
            {
                _settling = false;
            }
            else
            {
                Decide(mean);
            }
        }

        _windowStarted = _time.GetTimestamp();
        _samples = 0;
        _sumTicks = 0;
        _fastestTicks = long.MaxValue;
        _waitedInWindow = _waiters.Count > 0;
    }

    private void Decide(double meanTicks)
    {
        var answerRate = _limit / meanTicks;
        var judged = _lastMove;
        _lastMove = Move.None;
        // What the move would have brought at unchanged answer times, and what it had to bring (or could cost).
        var stepRatio = (double)_limit / _limitBefore;
        var expectedRate = _answerRateBefore * (1 + StepShare * (stepRatio - 1));
        if (judged == Move.Up && answerRate < expectedRate)
        {
            StepBack(); // more in flight bought nothing
            return;
        }

        if (judged == Move.Down && answerRate < expectedRate)
        {
            StepBack(); // fewer in flight cost answers
            _probeUpNext = true;
            return;
        }

        if (meanTicks <= GrowthRatio * _baselineTicks)
        {
            _limit = Grown; // the path's own pace: nothing to judge
        }
        else if (judged == Move.Up)
        {
            MoveTo(Grown, Move.Up, answerRate);
        }
        else if (_holding > 0)
        {
            _holding--;
        }
        else if (meanTicks > ShrinkRatio * _baselineTicks && _limit > Floor && !_probeUpNext)
        {
            MoveTo(Math.Max(Floor, _limit - Math.Max(_limit / 8, 1)), Move.Down, answerRate);
        }
        else
        {
            _probeUpNext = false;
            MoveTo(Grown, Move.Up, answerRate);
        }
    }

    private int Grown => Math.Min(Ceiling, _limit + Math.Max(_limit / 4, 1));

    private void MoveTo(int limit, Move move, double answerRate)
    {
        if (limit == _limit)
        {
            return;
        }

        (_limitBefore, _answerRateBefore, _lastMove, _limit) = (_limit, answerRate, move, limit);
        _settling = true;
    }

    private void StepBack()
    {
        _limit = _limitBefore;
        _holding = HoldWindows;
        _settling = true;
    }
}
