using System.Diagnostics.Metrics;
using System.Numerics;
using System.Text;

namespace ApicastSidecarProxy.Observability.Prometheus;

/// <summary>
/// Collects one <see cref="Meter"/>'s measurements, and the observable instruments of meters published by others that
/// are named (such as the runtime's System.Runtime), and renders them in the Prometheus text format for /metrics.
/// Recording a measurement into an existing series allocates nothing.
/// </summary>
public sealed class PrometheusExporter : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly List<InstrumentSeries> _instruments = []; // in publication order; lock it to use it
    private readonly Lock _rendering = new(); // one scrape at a time, so an older observation never overwrites a newer

    /// <param name="meter">The application's own meter (matched by reference, never by name).</param>
    /// <param name="otherMeterNames">
    /// Meters created by others, matched by name: only their observable instruments, which are read at a scrape and so
    /// cost nothing in between (System.Runtime's exception counter, say, would be called on every exception).
    /// </param>
    public PrometheusExporter(Meter meter, params IReadOnlyCollection<string> otherMeterNames)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (!ReferenceEquals(instrument.Meter, meter) && !(instrument.IsObservable && otherMeterNames.Contains(instrument.Meter.Name)))
            {
                return;
            }

            var series = InstrumentSeries.For(instrument);
            lock (_instruments)
            {
                _instruments.Add(series);
            }

            listener.EnableMeasurementEvents(instrument, series);
        };
        _listener.MeasurementsCompleted = (_, state) =>
        {
            lock (_instruments)
            {
                _instruments.Remove((InstrumentSeries)state!);
            }
        };
        ForwardMeasurements<byte>();
        ForwardMeasurements<short>();
        ForwardMeasurements<int>();
        ForwardMeasurements<long>();
        ForwardMeasurements<float>();
        ForwardMeasurements<double>();
        ForwardMeasurements<decimal>();
        _listener.Start();
    }

    /// <summary>Every instrument's series, observable instruments observed now.</summary>
    public string Render()
    {
        lock (_rendering)
        {
            _listener.RecordObservableInstruments();
            InstrumentSeries[] instruments;
            lock (_instruments)
            {
                instruments = [.. _instruments];
            }

            var output = new StringBuilder();
            foreach (var series in instruments)
            {
                series.WriteTo(output);
            }

            return output.ToString();
        }
    }

    public void Dispose() => _listener.Dispose();

    // Every number type an instrument may have (MeterListener delivers each through its own callback).
    private void ForwardMeasurements<T>() where T : struct, INumberBase<T> =>
        _listener.SetMeasurementEventCallback<T>((_, value, tags, state) =>
            ((InstrumentSeries)state!).Record(double.CreateTruncating(value), tags));
}
