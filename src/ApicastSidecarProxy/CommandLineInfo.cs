using System.Reflection;
using ApicastSidecarProxy.Configuration;
using ApicastSidecarProxy.Hosting;

namespace ApicastSidecarProxy;

/// <summary>What `--version` and `--help` print.</summary>
public static class CommandLineInfo
{
    public static string Version { get; } =
        typeof(CommandLineInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? "unknown";

    public static int PrintVersion()
    {
        Console.WriteLine($"apicast-sidecar-proxy {Version}");
        return ExitCodes.Success;
    }

    private static readonly SidecarOptions Defaults = new() { Routes = [], Proxy = ProxyOptions.Direct, Tls = new TlsOptions() };

    public static int PrintHelp()
    {
        Console.WriteLine($"""
            apicast-sidecar-proxy {Version}: forwards 3scale APIcast's plain-HTTP calls to the 3scale SaaS over HTTPS,
            through the corporate forward proxy.

            Usage:
              apicast-sidecar-proxy              run the sidecar (configured by environment variables)
              apicast-sidecar-proxy check        check every hop of every route (DNS, TCP, proxy authentication,
                                                 tunnel, TLS, the expected 3scale answer); exit 0 when all pass
              apicast-sidecar-proxy check --forward HOST:PORT
                                                 also check what the forward-proxy listener does for HOST:PORT
                                                 (allow-list, tunnel through the proxy, TLS)
              apicast-sidecar-proxy --version    print the version
              apicast-sidecar-proxy --help       print this help

            Every setting is an environment variable; it can also be given as a flag (--NAME=value, never for a
            secret) or in appsettings.json in the working directory. The main ones:
              {SettingNames.PortalEndpoint}   upstream of the portal route (required), e.g. https://TENANT-admin.3scale.net
              {SettingNames.BackendEndpoint}    upstream of the backend route (default {SettingNames.DefaultBackendEndpoint})
              {SettingNames.PortalListenPort}, {SettingNames.BackendListenPort}   listen ports (default {SettingNames.DefaultPortalListenPort}, {SettingNames.DefaultBackendListenPort})
              {SettingNames.ListenAddress}               bind address (default: all interfaces)
              https_proxy, http_proxy, all_proxy, no_proxy (and upper case)   the forward proxy, curl semantics
              {SettingNames.ProxyUsername}, {SettingNames.ProxyPassword}, {SettingNames.ProxyPasswordFile}   proxy credentials
              {SettingNames.UpstreamCaFile}             extra CA certificates (PEM) trusted beside the system store
              {SettingNames.ConnectTimeout}, {SettingNames.UpstreamTimeout}   timeouts in seconds (default {Defaults.ConnectTimeout.TotalSeconds}, {Defaults.UpstreamTimeout.TotalSeconds})
              {SettingNames.ConfigCache}, {SettingNames.ConfigCacheDir}   serve the portal's last good answers in an outage
                                             (default memory; a directory keeps them, encrypted, across restarts)
            The README lists every setting with its default.
            """);
        return ExitCodes.Success;
    }
}
