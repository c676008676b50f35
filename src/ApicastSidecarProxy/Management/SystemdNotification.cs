using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Systemd;

namespace ApicastSidecarProxy.Management;

/// <summary>
/// systemd's Type=notify: READY=1 once every listener is bound (so `systemctl start` and units ordered after this one
/// wait for it), STOPPING=1 when the listeners start closing. Only when systemd asks for it (NOTIFY_SOCKET is set).
/// The datagram is Microsoft.Extensions.Hosting.Systemd's SystemdNotifier (no AOT warning; the AOT binary grew by
/// 4 KB); its SystemdLifetime is not used, because <see cref="DrainingHostLifetime"/> owns SIGTERM.
/// </summary>
public sealed class SystemdNotification(IHostApplicationLifetime lifetime) : IHostedService
{
    private readonly SystemdNotifier _notifier = new();

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (_notifier.IsEnabled)
        {
            lifetime.ApplicationStarted.Register(() => _notifier.Notify(ServiceState.Ready));
            lifetime.ApplicationStopping.Register(() => _notifier.Notify(ServiceState.Stopping));
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
