using System.Net.Sockets;
using ApicastSidecarProxy.Configuration;
using ApicastSidecarProxy.Logging;
using ApicastSidecarProxy.Metrics;
using Microsoft.Extensions.Logging;

namespace ApicastSidecarProxy.Egress;

/// <summary>
/// Tries the entries of a destination's proxy list in order, for one request or tunnel. An entry that cannot be
/// connected to, or times out before its connection or tunnel is open, goes on the skip list and the next one is
/// tried at once: nothing has reached the upstream yet. Every other outcome, including a proxy's rejection of the
/// credentials (trying them on the next proxy would lock the account everywhere), ends the attempt.
/// </summary>
public sealed class ProxyFailover(IProxySelector selector, FailedProxies failed, SidecarMetrics metrics, ILogger logger)
{
    /// <param name="attempt">Sends or opens through the entry now set on <paramref name="path"/>.</param>
    /// <param name="cancelled">The caller's own cancellation: no failover once it fired.</param>
    /// <exception cref="ProxySelectionException">No proxy list could be made for the destination.</exception>
    public async Task<T> RunAsync<T>(Uri destination, OutboundPath path, Func<ProxyChoice, Task<T>> attempt,
        CancellationToken cancelled)
    {
        var choices = failed.ToTry(selector.Select(destination));
        for (var index = 0; ; index++)
        {
            var choice = choices[index];
            path.Use(choice);
            var label = choice.Label;
            metrics.ProxyAttempted(label);
            try
            {
                var result = await attempt(choice);
                failed.MarkWorking(choice);
                return result;
            }
            catch (Exception e) when (!cancelled.IsCancellationRequested && ConnectFailure(e) is { } reason)
            {
                failed.MarkFailed(choice);
                metrics.ProxyFailed(label);
                var last = index + 1 == choices.Count;
                EgressLog.ProxySkipped(logger, label, reason, failed.RetryAfter.TotalSeconds, SettingNames.ProxyRetryAfter,
                    last ? "no other entry to try" : $"trying {choices[index + 1]}");
                if (last)
                {
                    throw;
                }

                path.RecordFailure(reason);
            }
        }
    }

    /// <summary>Why the entry failed before anything was sent through it, or null when it did not (or not only).</summary>
    public static string? ConnectFailure(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case OutboundConnectException connect:
                    return connect.Message;
                case TimeoutException:
                    return "no connection within CONNECT_TIMEOUT";
            }
        }

        return null;
    }
}
