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
            // Compared bit for bit, as the exchange does: 0.0 and -0.0 are Equal, NaN is not equal to itself.
            if (BitConverter.DoubleToInt64Bits(found) == BitConverter.DoubleToInt64Bits(seen))
            {
                return;
            }

            seen = found;
        }
    }
}
