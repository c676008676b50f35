using System.Security.Cryptography.X509Certificates;
using ApicastSidecarProxy.Configuration;
using ApicastSidecarProxy.Egress;
using ApicastSidecarProxy.Forwarding;
using ApicastSidecarProxy.Observability;

namespace ApicastSidecarProxy.Diagnostics;

/// <summary>
/// `apicast-sidecar-proxy check`: with the server's own configuration, checks every route hop by hop and says in plain
/// words which hop fails and what to do. Exit code 0 when everything passed, 1 for a configuration error, 3 when a hop
/// failed.
/// </summary>
public static class CheckCommand
{
    public const int HopFailedExitCode = 3;

    public static async Task<int> RunAsync(string[] args)
    {
        if (await SidecarOptionsReader.ReadFromProcessAsync(args) is not { } options)
        {
            return SidecarOptionsReader.ConfigurationErrorExitCode;
        }

        var selector = new EnvironmentProxySelector(options.Proxy);
        using var metrics = new SidecarMetrics();
        var report = new CheckReport(Console.Out);
        foreach (var route in options.Routes)
        {
            // A handler per route: no pooled connection is shared, so every route shows its own tunnel and TLS handshake.
            X509Certificate2? certificate = null;
            var proxyCredentials = new ProxyCredentialLookup(options.Proxy);
            using var invoker = OutboundHandlerFactory.Create(options, selector, proxyCredentials, metrics,
                (_, presented) => certificate = new X509Certificate2(presented));
            var checker = new RouteChecker(options, invoker, () => certificate, report);
            await checker.RunAsync(new SidecarRoute(route, selector.SelectProxy(route.Upstream), proxyCredentials));
        }

        Console.Out.WriteLine(report.Failed ? "check failed: see the hints above" : "check passed: every hop answered");
        return report.Failed ? HopFailedExitCode : 0;
    }
}
