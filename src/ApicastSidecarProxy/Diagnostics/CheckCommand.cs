using System.Security.Cryptography.X509Certificates;
using ApicastSidecarProxy.Configuration;
using ApicastSidecarProxy.Egress;
using ApicastSidecarProxy.ForwardProxy;
using ApicastSidecarProxy.Forwarding;
using ApicastSidecarProxy.Hosting;
using ApicastSidecarProxy.Metrics;
using Microsoft.Extensions.Logging.Abstractions;

namespace ApicastSidecarProxy.Diagnostics;

/// <summary>
/// `apicast-sidecar-proxy check`: with the server's own configuration, checks every route hop by hop and says in plain
/// words which hop fails and what to do. Exit code 0 when everything passed, 1 for a configuration error, 3 when a hop
/// failed. With `--forward host:port`, also what the forward-proxy listener would do for that destination.
/// </summary>
public static class CheckCommand
{
    public const string ForwardFlag = "--forward";

    public static async Task<int> RunAsync(string[] args)
    {
        var (forwardTargets, settings) = SplitForwardTargets(args);
        if (await SidecarOptionsReader.ReadFromProcessAsync(settings) is not { } options)
        {
            return ExitCodes.ConfigurationError;
        }

        using var metrics = new SidecarMetrics();
        await using var selection = await ProxySelection.TryCreateAsync(options, metrics: null);
        if (selection is null)
        {
            return ExitCodes.ConfigurationError;
        }

        var selector = selection.Selector;
        var report = new CheckReport(Console.Out);
        var proxyCredentials = new ProxyCredentialLookup(options.Proxy);
        foreach (var route in options.Routes)
        {
            // A handler per route: no pooled connection is shared, so every route shows its own tunnel and TLS handshake.
            X509Certificate2? certificate = null;
            using var invoker = OutboundHandlerFactory.Create(options, NewFailover(selector, options, metrics), proxyCredentials,
                metrics, (_, presented) => certificate = new X509Certificate2(presented));
            var checker = new RouteChecker(options, selector, invoker, () => certificate, report);
            await checker.RunAsync(new SidecarRoute(route));
        }

        foreach (var target in forwardTargets)
        {
            using var tunnelInvoker = OutboundHandlerFactory.CreateTunnelInvoker(options, proxyCredentials, metrics);
            var opener = new TunnelOpener(NewFailover(selector, options, metrics), tunnelInvoker, options.ConnectTimeout);
            await new ForwardChecker(options, opener, selector, report).RunAsync(target);
        }

        Console.Out.WriteLine(report.Failed ? "check failed: see the hints above" : "check passed: every hop answered");
        return report.Failed ? ExitCodes.HopFailed : ExitCodes.Success;
    }

    // A skip list per check, so each one tries the proxy list from its first entry; failovers are not logged (the
    // report shows every entry's DNS and TCP).
    private static ProxyFailover NewFailover(IProxySelector selector, SidecarOptions options, SidecarMetrics metrics) =>
        new(selector, new FailedProxies(options.Proxy.RetryAfter, TimeProvider.System), metrics, NullLogger.Instance);

    /// <summary>Takes `--forward host:port` (or `--forward=host:port`, repeatable) out of the arguments; the rest are settings.</summary>
    private static (List<string> Targets, string[] Settings) SplitForwardTargets(string[] args)
    {
        var targets = new List<string>();
        var settings = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i].StartsWith(ForwardFlag + "=", StringComparison.Ordinal))
            {
                targets.Add(args[i][(ForwardFlag.Length + 1)..]);
            }
            else if (args[i] == ForwardFlag && i + 1 < args.Length)
            {
                targets.Add(args[++i]);
            }
            else
            {
                settings.Add(args[i]);
            }
        }

        return (targets, settings.ToArray());
    }
}
