namespace ApicastSidecarProxy.Hosting;

/// <summary>
/// Tells, once per interval, whether the process has just gone quiet: it allocated less than
/// <paramref name="quietAllocation"/> bytes during this interval, after one in which it allocated more. Serving traffic
/// allocates megabytes a second; an idle sidecar allocates a few kilobytes per readiness probe.
/// </summary>
public sealed class QuietPeriods(long quietAllocation, long allocatedSoFar)
{
    private long _allocated = allocatedSoFar;
    private bool _quiet = true;

    /// <summary>Called once per interval with the process's allocated bytes; true when this interval began a quiet period.</summary>
    public bool BeganNow(long allocatedSoFar)
    {
        var quiet = allocatedSoFar - _allocated < quietAllocation;
        var began = quiet && !_quiet;
        (_allocated, _quiet) = (allocatedSoFar, quiet);
        return began;
    }

    /// <summary>Leaves out what the caller allocated itself since the last interval (the trim's own garbage).</summary>
    public void Exclude(long allocatedSoFar) => _allocated = allocatedSoFar;
}
