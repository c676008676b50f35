namespace ApicastSidecarProxy.Metrics;

/// <summary>What a route's concurrency limit reports to /metrics: the limit, and the requests under it and waiting.</summary>
public interface IConcurrencyReadings
{
    int Limit { get; }

    int InFlight { get; }

    int Waiting { get; }
}
