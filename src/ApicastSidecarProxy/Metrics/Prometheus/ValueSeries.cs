using System.Diagnostics.Metrics;
using System.Text;

namespace ApicastSidecarProxy.Metrics.Prometheus;

/// <summary>
/// One number per series: a running sum for counters and up-down counters, the last observation for observable
/// instruments (whose callbacks report totals or current values themselves).
/// </summary>
public sealed class ValueSeries(Instrument instrument, bool replace) : InstrumentSeries<ValueSeries.Value>(instrument)
{
    /// <summary>
    /// Updated without a lock: every exchange adds to the same few series from several threads, and a lock there
    /// made threads spin on each other (bench/RESULTS.md, "Per-exchange bookkeeping without locks").
    /// </summary>
    public sealed class Value
    {
        private double _current;

        public double Current => Volatile.Read(ref _current);

        public void Set(double value) => Volatile.Write(ref _current, value);

        public void Add(double value) => AtomicDouble.Add(ref _current, value);
    }

    public override void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var cell = Cell(tags);
        if (replace)
        {
            cell.Set(value);
        }
        else
        {
            cell.Add(value);
        }
    }

    public override void WriteTo(StringBuilder output)
    {
        WriteHeader(output, PrometheusText.IsCounter(Instrument) ? "counter" : "gauge");
        foreach (var (labels, cell) in Cells())
        {
            AppendSample(output, Name, labels, null, PrometheusText.Number(cell.Current));
        }
    }

    protected override Value NewCell() => new();
}
