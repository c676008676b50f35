using ApicastSidecarProxy.Forwarding;
using Microsoft.Extensions.Time.Testing;

namespace ApicastSidecarProxy.Tests.Forwarding;

public class AdaptiveConcurrencyLimitTests
{
    private static readonly TimeSpan NoTimeout = Timeout.InfiniteTimeSpan;
    private static readonly TimeSpan Pace = TimeSpan.FromMilliseconds(200);

    /// <summary>The clock of the limits made by <see cref="Saturated(int, int, out Queue{ValueTask})"/>: each answer moves
    /// it on by its time over the number in flight, as answers come when every turn is taken.</summary>
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void StartsAtTheFloor_OrTheCeilingWhenLower()
    {
        Assert.Equal(64, new AdaptiveConcurrencyLimit(ceiling: 512).Limit);
        Assert.Equal(10, new AdaptiveConcurrencyLimit(ceiling: 10).Limit);
        Assert.Equal(3, new AdaptiveConcurrencyLimit(ceiling: 512, floor: 3).Limit);
    }

    [Fact]
    public void UnderTheLimit_EntersAtOnce_OverIt_Waits()
    {
        var limit = new AdaptiveConcurrencyLimit(ceiling: 10, floor: 2);

        Assert.True(limit.EnterAsync(NoTimeout, CancellationToken.None).IsCompletedSuccessfully);
        Assert.True(limit.EnterAsync(NoTimeout, CancellationToken.None).IsCompletedSuccessfully);
        var third = limit.EnterAsync(NoTimeout, CancellationToken.None);

        Assert.False(third.IsCompleted);
        Assert.Equal((2, 1), (limit.InFlight, limit.Waiting));
    }

    [Fact]
    public async Task WaitingExchanges_GoAsOthersLeave_FirstComeFirstServed()
    {
        var limit = new AdaptiveConcurrencyLimit(ceiling: 10, floor: 1);
        await limit.EnterAsync(NoTimeout, CancellationToken.None);
        var first = limit.EnterAsync(NoTimeout, CancellationToken.None).AsTask();
        var second = limit.EnterAsync(NoTimeout, CancellationToken.None).AsTask();

        limit.Exit(Pace);
        await first;
        Assert.False(second.IsCompleted);

        limit.Exit(Pace);
        await second;
        Assert.Equal((1, 0), (limit.InFlight, limit.Waiting));
    }

    [Fact]
    public async Task AWaitThatTimesOut_HoldsNothing()
    {
        var time = new FakeTimeProvider();
        var limit = new AdaptiveConcurrencyLimit(ceiling: 10, floor: 1, time);
        await limit.EnterAsync(NoTimeout, CancellationToken.None);
        var waiting = limit.EnterAsync(TimeSpan.FromSeconds(5), CancellationToken.None).AsTask();

        time.Advance(TimeSpan.FromSeconds(5));

        await Assert.ThrowsAsync<TimeoutException>(() => waiting);
        Assert.Equal((1, 0), (limit.InFlight, limit.Waiting));
        limit.Exit(Pace);
        Assert.True(limit.EnterAsync(NoTimeout, CancellationToken.None).IsCompletedSuccessfully);
    }

    [Fact]
    public async Task ACancelledWait_HoldsNothing()
    {
        var limit = new AdaptiveConcurrencyLimit(ceiling: 10, floor: 1);
        await limit.EnterAsync(NoTimeout, CancellationToken.None);
        using var clientGone = new CancellationTokenSource();
        var waiting = limit.EnterAsync(NoTimeout, clientGone.Token).AsTask();
        var next = limit.EnterAsync(NoTimeout, CancellationToken.None).AsTask();

        await clientGone.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        limit.Exit(Pace);
        await next; // the cancelled one is not in the queue any more: its turn goes to the next
        Assert.Equal((1, 0), (limit.InFlight, limit.Waiting));
    }

    [Fact]
    public void Grows_WhileExchangesWaitAndAnswersKeepTheirPace()
    {
        var limit = Saturated(floor: 16, ceiling: 100, out var waiting);

        // One window (as many answers as the limit), each as fast as the fastest: more in flight would bring more answers.
        AnswerWhileSaturated(limit, waiting, 16, _ => Pace);

        Assert.Equal(20, limit.Limit); // a quarter more
        Assert.Equal((20, 1), (limit.InFlight, limit.Waiting)); // the four new turns taken at once
    }

    [Fact]
    public void AWindowLastsAtLeastItsMinimumTime()
    {
        var limit = Saturated(floor: 16, ceiling: 100, out var waiting);
        var fast = AdaptiveConcurrencyLimit.MinimumWindowTime / 100;

        // Answers at the path's pace, 16 in flight: the 16 answers of one limit's worth come in a hundredth of the time.
        AnswerWhileSaturated(limit, waiting, 16 * 10, _ => fast);
        Assert.Equal(16, limit.Limit);

        AnswerWhileSaturated(limit, waiting, 16 * 90, _ => fast);
        Assert.Equal(20, limit.Limit);
    }

    [Fact]
    public void StaysAtTheFloor_WhenAnswersSlowDownWithTheLoad()
    {
        var limit = Saturated(floor: 16, ceiling: 100, out var waiting);
        var highest = 0;

        // Answers queue behind each other (the CPU is out): their time grows with the number in flight, and their
        // mean is twice the fastest. A probe a quarter up buys nothing and steps back.
        AnswerWhileSaturated(limit, waiting, 16 * 40, i =>
        {
            highest = Math.Max(highest, limit.Limit);
            return TimeSpan.FromMilliseconds(limit.Limit * (i % 2 == 0 ? 0.5 : 1.5));
        });

        Assert.InRange(limit.Limit, 16, 20);
        Assert.Equal(20, highest); // the probes, never more than one step
    }

    [Fact]
    public void Grows_WhenAnswersSlowedByOtherLoad_StillComeFasterTheMoreAreInFlight()
    {
        var limit = Saturated(floor: 16, ceiling: 100, out var waiting);

        // The mean is twice the fastest, as above, but the answer time does not depend on the number in flight (other
        // load on the machine, a path of uneven pace): each probe a quarter up brings a quarter more answers.
        AnswerWhileSaturated(limit, waiting, 16 * 80, i => i % 2 == 0 ? Pace / 2 : Pace * 3 / 2);

        Assert.Equal(100, limit.Limit);
    }

    [Fact]
    public void TheWindowAfterAChange_IsNotTakenForItsEffect()
    {
        var limit = Saturated(floor: 16, ceiling: 100, out var waiting);
        var (seen, inEffect, changesAt, highest) = (16, 16, -1, 0);

        // As in StaysAtTheFloor: answer times grow with the number in flight, but only once the new exchanges have
        // queued, a round trip after the change. Until then the answers come as fast with more in flight.
        AnswerWhileSaturated(limit, waiting, 16 * 40, i =>
        {
            if (limit.Limit != seen)
            {
                (seen, changesAt) = (limit.Limit, i + limit.Limit);
            }

            inEffect = i == changesAt ? seen : inEffect;
            highest = Math.Max(highest, limit.Limit);
            return TimeSpan.FromMilliseconds(inEffect * (i % 2 == 0 ? 0.5 : 1.5));
        });

        Assert.Equal(20, highest);
    }

    [Fact]
    public void KeepsWhatTheGrowthBought_WhenAnswersTakeMoreThanThreeTimesTheFastest_AtAnyLimit()
    {
        var limit = Saturated(floor: 16, ceiling: 200, out var waiting);
        AnswerWhileSaturated(limit, waiting, 16, _ => Pace / 10); // the fastest answer seen: 20 ms
        var (reached, lowest) = (false, int.MaxValue);

        // 200 ms from now on, at every concurrency: ten times the fastest, yet each step up brings a quarter more answers,
        // and each probe down costs an eighth of them and steps back.
        AnswerWhileSaturated(limit, waiting, 200 * 60, _ =>
        {
            reached |= limit.Limit == 200;
            lowest = reached ? Math.Min(lowest, limit.Limit) : lowest;
            return Pace;
        });

        Assert.True(reached, $"still {limit.Limit}");
        Assert.Equal(175, lowest); // one probe down at a time
        Assert.InRange(limit.Limit, 175, 200);
    }

    [Fact]
    public void FallsBackToTheFloor_WhenAnswersTakeMoreThanThreeTimesTheFastest_AndFewerInFlightCostNothing()
    {
        var limit = Saturated(floor: 16, ceiling: 100, out var waiting);
        AnswerWhileSaturated(limit, waiting, 16 + 20 + 25, _ => Pace);
        Assert.Equal(31, limit.Limit); // three windows at the path's pace
        var (highest, lowest) = (0, int.MaxValue);

        // Now the answers queue: their time grows with the number in flight, four times the fastest at the floor.
        AnswerWhileSaturated(limit, waiting, 16 * 60, _ =>
        {
            (highest, lowest) = (Math.Max(highest, limit.Limit), Math.Min(lowest, limit.Limit));
            return Pace * 4 * limit.Limit / 16;
        });

        Assert.Equal(16, lowest);
        Assert.InRange(limit.Limit, 16, 20); // there, or one probe up
        Assert.True(highest <= 31, $"climbed to {highest}");
    }

    [Fact]
    public void NeverGrowsAboveTheCeiling()
    {
        var limit = Saturated(floor: 16, ceiling: 18, out var waiting);

        AnswerWhileSaturated(limit, waiting, 16 * 10, _ => Pace);

        Assert.Equal(18, limit.Limit);
    }

    [Fact]
    public void DoesNotGrow_WhenNoExchangeWaits()
    {
        var limit = new AdaptiveConcurrencyLimit(ceiling: 100, floor: 16);

        for (var i = 0; i < 16 * 10; i++)
        {
            Assert.True(limit.EnterAsync(NoTimeout, CancellationToken.None).IsCompletedSuccessfully);
            limit.Exit(Pace);
        }

        Assert.Equal(16, limit.Limit);
    }

    [Fact]
    public void FailedExchanges_SayNothingOfThePace()
    {
        var limit = Saturated(floor: 16, ceiling: 100, out var waiting);

        AnswerWhileSaturated(limit, waiting, 16 * 10, _ => null);

        Assert.Equal(16, limit.Limit);
    }

    [Fact]
    public async Task APathThatBecameSlowerForGood_IsRelearnt_FromAWindowInWhichNobodyWaited()
    {
        var limit = Saturated(floor: 16, ceiling: 1000, out var waiting);
        AnswerWhileSaturated(limit, waiting, 16, _ => Pace / 10); // the fastest answer seen: 20 ms
        while (limit.InFlight > 0)
        {
            limit.Exit(Pace / 10); // the burst ends
        }

        await Task.WhenAll(waiting.Select(turn => turn.AsTask()));

        // Light load at the path's new pace, 200 ms: one at a time, nobody waits, for a few windows.
        for (var i = 0; i < 3 * limit.Limit; i++)
        {
            Assert.True(limit.EnterAsync(NoTimeout, CancellationToken.None).IsCompletedSuccessfully);
            _time.Advance(Pace);
            limit.Exit(Pace);
        }

        // A burst again, at that pace: measured against 200 ms, not 20, so more in flight bring more answers.
        var before = limit.Limit;
        AnswerWhileSaturated(Saturated(limit, out waiting), waiting, 3 * before, _ => Pace);

        Assert.True(limit.Limit > before, $"still {limit.Limit}");
    }

    [Fact]
    public void APathThatBecameSlowerForGood_UnderConstantLoad_IsRelearnt()
    {
        var limit = Saturated(floor: 16, ceiling: 1000, out var waiting);
        AnswerWhileSaturated(limit, waiting, 16 * 10, _ => Pace / 10); // the fastest answer seen: 20 ms, a window's worth
        var grown = limit.Limit;
        Assert.True(grown > 16);

        // From now on 200 ms, at every concurrency, and exchanges always waiting: against 20 ms it looks like queueing,
        // but probes up bring more answers (and at the latest the fastest answer is taken again after
        // WindowsPerBaseline windows).
        var answers = 0;
        while (limit.Limit <= grown && answers < 100_000)
        {
            AnswerWhileSaturated(limit, waiting, 1, _ => Pace);
            answers++;
        }

        Assert.True(limit.Limit > grown, $"still {limit.Limit} after {answers} answers at the new pace");
        Assert.True(answers <= AdaptiveConcurrencyLimit.WindowsPerBaseline * 64, $"{answers} answers");
    }

    [Fact]
    public void AnswersSlowingInStepWithTheLimit_DoNotRatchetItUp()
    {
        // An upstream that queues: the answer time is proportional to the number in flight (within 10%).
        var limit = Saturated(floor: 16, ceiling: 1000, out var waiting);

        AnswerWhileSaturated(limit, waiting, 16 * 200,
            i => TimeSpan.FromMilliseconds(limit.Limit * (0.9 + 0.05 * (i % 5))));

        Assert.True(limit.Limit <= 2 * 16, $"the limit climbed to {limit.Limit}");
    }

    /// <summary>A new limit with all its turns taken and one exchange waiting.</summary>
    private AdaptiveConcurrencyLimit Saturated(int floor, int ceiling, out Queue<ValueTask> waiting) =>
        Saturated(new AdaptiveConcurrencyLimit(ceiling, floor, _time), out waiting);

    /// <summary><paramref name="limit"/>, idle, with all its turns taken and one exchange waiting.</summary>
    private static AdaptiveConcurrencyLimit Saturated(AdaptiveConcurrencyLimit limit, out Queue<ValueTask> waiting)
    {
        while (limit.EnterAsync(NoTimeout, CancellationToken.None) is { IsCompletedSuccessfully: true })
        {
        }

        waiting = new Queue<ValueTask>([limit.EnterAsync(NoTimeout, CancellationToken.None)]);
        return limit;
    }

    /// <summary>
    /// <paramref name="answers"/> exchanges leave, each taking <paramref name="answerTime"/>(its number); after each a new
    /// one arrives, so that exchanges keep waiting.
    /// </summary>
    private void AnswerWhileSaturated(AdaptiveConcurrencyLimit limit, Queue<ValueTask> waiting, int answers,
        Func<int, TimeSpan?> answerTime)
    {
        for (var i = 0; i < answers; i++)
        {
            var time = answerTime(i);
            _time.Advance((time ?? Pace) / limit.InFlight);
            limit.Exit(time);
            while (waiting.TryPeek(out var turn) && turn.IsCompleted)
            {
                waiting.Dequeue();
            }

            waiting.Enqueue(limit.EnterAsync(NoTimeout, CancellationToken.None));
            while (limit.Waiting == 0)
            {
                waiting.Enqueue(limit.EnterAsync(NoTimeout, CancellationToken.None));
            }
        }
    }
}
