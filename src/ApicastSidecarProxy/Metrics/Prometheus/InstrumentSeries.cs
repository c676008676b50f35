using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Text;

namespace ApicastSidecarProxy.Metrics.Prometheus;

/// <summary>The series of one instrument, one per label set, and how they are written out.</summary>
public abstract class InstrumentSeries(Instrument instrument)
{
    public Instrument Instrument { get; } = instrument;

    public string Name { get; } = PrometheusText.MetricName(instrument);

    public abstract void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags);

    public abstract void WriteTo(StringBuilder output);

    public static InstrumentSeries For(Instrument instrument) => instrument switch
    {
        Histogram<double> histogram => new HistogramSeries(histogram, histogram.Advice?.HistogramBucketBoundaries),
        Histogram<long> histogram => new HistogramSeries(histogram,
            histogram.Advice?.HistogramBucketBoundaries?.Select(bound => (double)bound)),
        _ when PrometheusText.IsOfKind(instrument, typeof(Histogram<>)) => new HistogramSeries(instrument, null),
        _ when instrument.IsObservable || PrometheusText.IsOfKind(instrument, typeof(Gauge<>))
            => new ValueSeries(instrument, replace: true),
        _ => new ValueSeries(instrument, replace: false),
    };

    protected void WriteHeader(StringBuilder output, string type)
    {
        if (Instrument.Description is { Length: > 0 } help)
        {
            output.Append("# HELP ").Append(Name).Append(' ').Append(PrometheusText.EscapeHelp(help)).Append('\n');
        }

        output.Append("# TYPE ").Append(Name).Append(' ').Append(type).Append('\n');
    }
}

/// <summary>
/// Series keyed by their label text; finding an existing one allocates nothing, and for a tag set recorded before
/// with the same string objects (<see cref="TagIdentity"/>) does not build the label text either.
/// </summary>
public abstract class InstrumentSeries<TCell>(Instrument instrument) : InstrumentSeries(instrument)
    where TCell : class
{
    private const int StackLabelChars = 128; // the sidecar's longest label text is about 70 characters

    // Bounds the identities remembered: tag values made anew for each measurement would add one each time.
    private const int MaxIdentities = 1024;

    private readonly ConcurrentDictionary<string, TCell> _cells = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<TagIdentity, TCell> _cellsByIdentity = new();
    private int _identities;

    protected TCell Cell(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var identity = TagIdentity.Of(tags);
        if (identity.IsKnown && _cellsByIdentity.TryGetValue(identity, out var known))
        {
            return known;
        }

        var cell = CellByLabelText(tags);
        if (identity.IsKnown && Volatile.Read(ref _identities) < MaxIdentities && _cellsByIdentity.TryAdd(identity, cell))
        {
            Interlocked.Increment(ref _identities);
        }

        return cell;
    }

    private TCell CellByLabelText(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var labels = new LabelText(stackalloc char[StackLabelChars]);
        try
        {
            PrometheusText.AppendLabels(ref labels, tags);
            var lookup = _cells.GetAlternateLookup<ReadOnlySpan<char>>();
            return lookup.TryGetValue(labels.AsSpan(), out var cell)
                ? cell
                : _cells.GetOrAdd(labels.AsSpan().ToString(), _ => NewCell());
        }
        finally
        {
            labels.Dispose();
        }
    }

    protected abstract TCell NewCell();

    /// <summary>Every series as (label text, cell), ordered by label text so the output is stable.</summary>
    protected IEnumerable<KeyValuePair<string, TCell>> Cells() => _cells.OrderBy(cell => cell.Key, StringComparer.Ordinal);

    protected static void AppendSample(StringBuilder output, string name, string labels, string? extraLabel, string value)
    {
        output.Append(name);
        if (labels.Length > 0 || extraLabel is not null)
        {
            output.Append('{').Append(labels);
            if (extraLabel is not null)
            {
                output.Append(labels.Length > 0 ? "," : "").Append(extraLabel);
            }

            output.Append('}');
        }

        output.Append(' ').Append(value).Append('\n');
    }
}
