using System.Globalization;
using System.Net;

namespace ApicastSidecarProxy.Configuration;

/// <summary>Turns raw settings into validated <see cref="SidecarOptions"/>, or a <see cref="ConfigurationException"/>.</summary>
public static class SidecarOptionsReader
{
    /// <summary>
    /// Reads this process's settings (flags, environment, appsettings.json). On a bad value, writes the one-line error
    /// to stderr and returns null: the caller exits with code 1 (a configuration error).
    /// </summary>
    public static async Task<SidecarOptions?> ReadFromProcessAsync(string[] args)
    {
        try
        {
            return Read(SettingsSource.FromProcess(args));
        }
        catch (ConfigurationException e)
        {
            await WriteErrorAsync(e);
            return null;
        }
    }

    /// <summary>How a configuration error stops start-up: one line on standard error naming the variable.</summary>
    public static Task WriteErrorAsync(ConfigurationException e) =>
        Console.Error.WriteLineAsync($"apicast-sidecar-proxy: configuration error: {e.Message}");

    public static SidecarOptions Read(SettingsSource settings)
    {
        var portal = ReadRoute(settings, "portal", SettingNames.PortalListenPort, SettingNames.DefaultPortalListenPort,
            SettingNames.PortalEndpoint, settings.Get(SettingNames.PortalEndpoint)
                ?? throw new ConfigurationException(SettingNames.PortalEndpoint,
                    "is required (the 3scale admin portal, e.g. https://TENANT-admin.3scale.net)"))
            with { Check = new RouteCheck("/admin/api/accounts.xml", 403, "Access denied"), ServesConfiguration = true };
        var backend = ReadRoute(settings, "backend", SettingNames.BackendListenPort, SettingNames.DefaultBackendListenPort,
            SettingNames.BackendEndpoint, settings.Get(SettingNames.BackendEndpoint) ?? SettingNames.DefaultBackendEndpoint)
            with { Check = new RouteCheck("/transactions/authorize.xml", 403, "provider_key_or_service_token_required") };

        var managementPort = ReadPort(settings, SettingNames.ManagementPort, SettingNames.DefaultManagementPort);
        RefuseSharedPort(backend.ListenPort, SettingNames.BackendListenPort, portal.ListenPort, SettingNames.PortalListenPort);
        RefuseSharedPort(managementPort, SettingNames.ManagementPort, portal.ListenPort, SettingNames.PortalListenPort);
        RefuseSharedPort(managementPort, SettingNames.ManagementPort, backend.ListenPort, SettingNames.BackendListenPort);

        var forwardProxy = ReadForwardProxy(settings);
        if (forwardProxy is not null)
        {
            RefuseSharedPort(forwardProxy.Port, SettingNames.ForwardProxyPort, portal.ListenPort, SettingNames.PortalListenPort);
            RefuseSharedPort(forwardProxy.Port, SettingNames.ForwardProxyPort, backend.ListenPort, SettingNames.BackendListenPort);
            RefuseSharedPort(forwardProxy.Port, SettingNames.ForwardProxyPort, managementPort, SettingNames.ManagementPort);
        }

        var defaults = SidecarOptions.Defaults;
        var upstreamTimeout = ReadSeconds(settings, SettingNames.UpstreamTimeout, defaults.UpstreamTimeout);
        var connectTimeout = ReadSeconds(settings, SettingNames.ConnectTimeout, defaults.ConnectTimeout);
        if (connectTimeout > upstreamTimeout)
        {
            // The upstream timeout also runs while connecting; a longer connect timeout would never be the one to fire.
            throw new ConfigurationException(SettingNames.ConnectTimeout,
                $"{connectTimeout.TotalSeconds}s is longer than {SettingNames.UpstreamTimeout} ({upstreamTimeout.TotalSeconds}s)");
        }

        var maxConnections = ReadConnectionLimit(settings, SettingNames.UpstreamMaxConnections)
            ?? SidecarOptions.DefaultUpstreamMaxConnections;
        var concurrencyFloor = ReadConnectionLimit(settings, SettingNames.UpstreamConcurrencyFloor)
            ?? Math.Min(defaults.UpstreamConcurrencyFloor, maxConnections);
        if (concurrencyFloor > maxConnections)
        {
            throw new ConfigurationException(SettingNames.UpstreamConcurrencyFloor,
                $"{concurrencyFloor} is more than {SettingNames.UpstreamMaxConnections} ({maxConnections})");
        }

        return defaults with
        {
            Routes = [portal, backend],
            ListenAddress = ReadAddress(settings, SettingNames.ListenAddress),
            Proxy = ProxyOptionsReader.Read(settings),
            Tls = TlsOptionsReader.Read(settings),
            UpstreamTimeout = upstreamTimeout,
            ConnectTimeout = connectTimeout,
            UpstreamMaxConnections = maxConnections,
            UpstreamConcurrencyFloor = concurrencyFloor,
            Client = new ClientTimeoutOptions
            {
                HeaderTimeout = ReadSeconds(settings, SettingNames.ClientHeaderTimeout, defaults.Client.HeaderTimeout),
                IdleTimeout = ReadSeconds(settings, SettingNames.ClientIdleTimeout, defaults.Client.IdleTimeout),
            },
            Management = new ManagementOptions
            {
                Port = managementPort,
                Address = ReadAddress(settings, SettingNames.ManagementAddress),
                ReadinessInterval = ReadSeconds(settings, SettingNames.ReadinessInterval, defaults.Management.ReadinessInterval, allowZero: true),
                DrainDelay = ReadSeconds(settings, SettingNames.DrainDelay, defaults.Management.DrainDelay, allowZero: true),
                ShutdownTimeout = ReadSeconds(settings, SettingNames.ShutdownTimeout, defaults.Management.ShutdownTimeout),
            },
            ForwardProxy = forwardProxy,
            ConfigCache = ConfigCacheOptionsReader.Read(settings),
            Log = LogOptionsReader.Read(settings),
        };
    }

    private static ForwardProxyOptions? ReadForwardProxy(SettingsSource settings)
    {
        var allow = settings.Get(SettingNames.ForwardProxyAllow);
        if (settings.Get(SettingNames.ForwardProxyPort) is null)
        {
            return allow is null ? null : throw new ConfigurationException(SettingNames.ForwardProxyAllow,
                $"is set, but {SettingNames.ForwardProxyPort} is not: the forward-proxy listener is off");
        }

        return new ForwardProxyOptions
        {
            Port = ReadPort(settings, SettingNames.ForwardProxyPort, 0),
            Address = settings.Get(SettingNames.ForwardProxyAddress) is null
                ? IPAddress.Loopback
                : ReadAddress(settings, SettingNames.ForwardProxyAddress),
            Allow = ForwardAllowList.Parse(SettingNames.ForwardProxyAllow, allow ?? throw new ConfigurationException(
                SettingNames.ForwardProxyAllow, $"is required with {SettingNames.ForwardProxyPort}: the destinations the " +
                "listener may reach, e.g. keycloak.corp.example:8443,*.auth0.com")),
            MaxTunnels = ReadConnectionLimit(settings, SettingNames.ForwardProxyMaxTunnels) ?? ForwardProxyOptions.DefaultMaxTunnels,
        };
    }

    private static void RefuseSharedPort(int port, string variable, int otherPort, string otherVariable)
    {
        if (port != 0 && port == otherPort)
        {
            throw new ConfigurationException(variable, $"port {port} is already used by {otherVariable}");
        }
    }

    private static SidecarRouteOptions ReadRoute(
        SettingsSource settings, string name, string portVariable, int defaultPort, string endpointVariable, string endpoint)
    {
        var upstream = UpstreamEndpoint.Parse(endpointVariable, endpoint);
        return new SidecarRouteOptions(name, ReadPort(settings, portVariable, defaultPort), upstream.Uri, upstream.Credentials,
            endpointVariable);
    }

    private static int ReadPort(SettingsSource settings, string name, int defaultPort)
    {
        var value = settings.Get(name);
        if (value is null)
        {
            return defaultPort;
        }

        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > 65535)
        {
            throw new ConfigurationException(name, $"'{value}' is not a port number (0-65535)");
        }

        return port;
    }

    private static int? ReadConnectionLimit(SettingsSource settings, string name)
    {
        var value = settings.Get(name);
        if (value is null)
        {
            return null;
        }

        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var limit) || limit < 1)
        {
            throw new ConfigurationException(name, $"'{value}' is not a number of connections (1 or more, or unset for the default)");
        }

        return limit;
    }

    private static IPAddress? ReadAddress(SettingsSource settings, string name)
    {
        var value = settings.Get(name);
        if (value is null || value == "*")
        {
            return null;
        }

        if (value.Equals("localhost", StringComparison.OrdinalIgnoreCase))
        {
            return IPAddress.Loopback;
        }

        if (!IPAddress.TryParse(value.Trim('[', ']'), out var address))
        {
            throw new ConfigurationException(name, $"'{value}' is not an IP address (e.g. 127.0.0.1, ::1, 0.0.0.0)");
        }

        return address;
    }

    internal static TimeSpan ReadSeconds(SettingsSource settings, string name, TimeSpan defaultValue, bool allowZero = false)
    {
        var value = settings.Get(name);
        if (value is null)
        {
            return defaultValue;
        }

        var number = value.EndsWith('s') ? value[..^1] : value;
        // double.TryParse also takes "NaN" and "Infinity" whatever the styles; NaN would pass every comparison below.
        // Below a millisecond a positive value is a typo, and under one tick it would become zero.
        if (!double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds)
            || !double.IsFinite(seconds) || seconds < 0 || (seconds == 0 && !allowZero)
            || (seconds > 0 && seconds < 0.001) || seconds > 86_400)
        {
            throw new ConfigurationException(name,
                $"'{value}' is not a {(allowZero ? "" : "positive ")}number of seconds (e.g. 30 or 2.5)");
        }

        return TimeSpan.FromSeconds(seconds);
    }
}
