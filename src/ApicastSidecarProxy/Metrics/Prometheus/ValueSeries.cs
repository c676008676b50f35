using System.Diagnostics.Metrics;
using System.Text;

namespace ApicastSidecarProxy.Metrics.Prometheus;

/// <summary>
/// One number per series: a running sum for counters and up-down counters, the last observation for observable
/// instruments (whose callbacks report totals or current values themselves).
/// </summary>
public sealed class ValueSeries(Instrument instrument, bool replace) : InstrumentSeries<ValueSeries.Value>(instrument)
{
    public sealed class Value
    {
        public double Current;
    }

    public override void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var cell = Cell(tags);
        lock (cell)
        {
            cell.Current = replace ? value : cell.Current + value;
        }
    }

    public override void WriteTo(StringBuilder output)
    {
        WriteHeader(output, PrometheusText.IsCounter(Instrument) ? "counter" : "gauge");
        foreach (var (labels, cell) in Cells())
        {
            double current;
            lock (cell)
            {
                current = cell.Current;
            }

            AppendSample(output, Name, labels, null, PrometheusText.Number(current));
        }
    }

    protected override Value NewCell() => new();
}
