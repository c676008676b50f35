using ApicastSidecarProxy.Configuration;
using Microsoft.Extensions.Configuration;

namespace ApicastSidecarProxy.Tests;

/// <summary>Builds a <see cref="SettingsSource"/> as the process would: the variables are both the raw environment and configuration.</summary>
internal static class TestSettings
{
    public const string Portal = "https://tenant-admin.3scale.net";

    public static SettingsSource Environment(params (string Name, string Value)[] variables)
    {
        var environment = variables.ToDictionary(v => v.Name, v => v.Value, StringComparer.Ordinal);
        // Like the environment-variables provider: keys are case-insensitive and the last spelling set wins.
        var keys = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in variables)
        {
            keys[name] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(keys).Build();
        return new SettingsSource(configuration, environment);
    }

    public static SidecarOptions Read(params (string Name, string Value)[] variables) =>
        SidecarOptionsReader.Read(Environment([(SettingNames.PortalEndpoint, Portal), .. variables]));
}
