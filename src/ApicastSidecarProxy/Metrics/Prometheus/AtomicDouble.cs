namespace ApicastSidecarProxy.Metrics.Prometheus;

/// <summary>Adds to a shared double without a lock (Interlocked has no Add for doubles).</summary>
public static class AtomicDouble
{
    public static void Add(ref double target, double value)
    {
        var seen = Volatile.Read(ref target);
        while (true)
        {
            var found = Interlocked.CompareExchange(ref target, seen + value, seen);
            // Compared bit for bit, as the exchange compares: == would take -0.0 for 0.0 and never match a NaN.
            if (BitConverter.DoubleToInt64Bits(found) == BitConverter.DoubleToInt64Bits(seen))
            {
                return;
            }

            seen = found;
        }
    }
}
