using System.Runtime.InteropServices;
using ApicastSidecarProxy.Logging;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ApicastSidecarProxy.Management;

/// <summary>
/// Stops the sidecar gracefully on SIGTERM or SIGINT: readiness fails at once, the listeners keep serving for
/// DRAIN_DELAY (so load balancers can take the pod out of rotation), then close; in-flight requests get
/// SHUTDOWN_TIMEOUT to finish.
/// </summary>
public sealed partial class DrainingHostLifetime(
    IHostApplicationLifetime lifetime,
    ReadinessState readiness,
    TimeSpan drainDelay,
    TimeProvider time,
    ILogger logger) : IHostLifetime, IDisposable
{
    private readonly List<PosixSignalRegistration> _registrations = [];
    private int _draining;

    public Task WaitForStartAsync(CancellationToken cancellationToken)
    {
        _registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal));
        _registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose()
    {
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }
    }

    private void OnSignal(PosixSignalContext context)
    {
        context.Cancel = true; // the process ends when the host has stopped, not at the signal
        if (Interlocked.Exchange(ref _draining, 1) == 1)
        {
            return;
        }

        readiness.StartDraining();
        Draining(logger, context.Signal.ToString(), drainDelay.TotalSeconds);
        _ = StopAfterDelayAsync();
    }

    private async Task StopAfterDelayAsync()
    {
        await Task.Delay(drainDelay, time);
        lifetime.StopApplication();
    }

    [LoggerMessage(EventId = LogEvents.Draining, Level = LogLevel.Information,
        Message = "{Signal}: draining; /readyz answers 503, listeners close in {DelaySeconds}s, then in-flight requests finish")]
    private static partial void Draining(ILogger logger, string signal, double delaySeconds);
}
