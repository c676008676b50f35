using System.Diagnostics.Metrics;
using System.Text;

namespace ApicastSidecarProxy.Metrics.Prometheus;

/// <summary>Bucket counts, sum and count per series, with the instrument's advised bucket boundaries.</summary>
public sealed class HistogramSeries : InstrumentSeries<HistogramSeries.Buckets>
{
    // OpenTelemetry's default boundaries, for a histogram created without advice.
    private static readonly double[] DefaultBoundaries = [0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000];

    private readonly double[] _boundaries;
    private readonly string[] _bucketLabels; // le="0.001", ..., le="+Inf"
    private readonly string _bucketName, _sumName, _countName;

    public HistogramSeries(Instrument histogram, IEnumerable<double>? advisedBoundaries) : base(histogram)
    {
        // +Inf is always the last bucket; an advised infinite bound would repeat it.
        _boundaries = (advisedBoundaries ?? DefaultBoundaries).Where(double.IsFinite).Order().Distinct().ToArray();
        _bucketLabels = [.. _boundaries.Select(bound => $"le=\"{PrometheusText.Number(bound)}\""), "le=\"+Inf\""];
        (_bucketName, _sumName, _countName) = (Name + "_bucket", Name + "_sum", Name + "_count");
    }

    /// <summary>
    /// Updated without a lock, as <see cref="ValueSeries.Value"/> is. The count is the buckets' total, so a scrape always
    /// finds the +Inf bucket equal to it; the sum may be read one observation apart from them.
    /// </summary>
    public sealed class Buckets(int boundaries)
    {
        private readonly long[] _counts = new long[boundaries + 1]; // the last one: above every boundary
        private double _sum;

        public void Add(int bucket, double value)
        {
            Interlocked.Increment(ref _counts[bucket]);
            AtomicDouble.Add(ref _sum, value);
        }

        /// <summary>Copies the bucket counts into <paramref name="counts"/>; returns the sum.</summary>
        public double Read(long[] counts)
        {
            for (var i = 0; i < counts.Length; i++)
            {
                counts[i] = Volatile.Read(ref _counts[i]);
            }

            return Volatile.Read(ref _sum);
        }
    }

    public override void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (double.IsNaN(value))
        {
            return; // it belongs in no bucket, and would make the sum NaN for good
        }

        var bucket = _boundaries.AsSpan().BinarySearch(value);
        var index = bucket >= 0 ? bucket : ~bucket; // a value equal to a boundary belongs to that boundary's bucket (le)
        Cell(tags).Add(index, value);
    }

    public override void WriteTo(StringBuilder output)
    {
        WriteHeader(output, "histogram");
        var counts = new long[_boundaries.Length + 1];
        foreach (var (labels, cell) in Cells())
        {
            var sum = cell.Read(counts);
            long cumulative = 0;
            for (var i = 0; i < _boundaries.Length; i++)
            {
                cumulative += counts[i];
                AppendSample(output, _bucketName, labels, _bucketLabels[i], cumulative.ToString());
            }

            var count = cumulative + counts[^1];
            AppendSample(output, _bucketName, labels, _bucketLabels[^1], count.ToString());
            AppendSample(output, _sumName, labels, null, PrometheusText.Number(sum));
            AppendSample(output, _countName, labels, null, count.ToString());
        }
    }

    protected override Buckets NewCell() => new(_boundaries.Length);
}
