using ApicastSidecarProxy.Configuration;
using Microsoft.Extensions.Configuration;

namespace ApicastSidecarProxy.Tests;

/// <summary>Builds a <see cref="SettingsSource"/> as the process would, from environment variables and flags.</summary>
internal static class TestSettings
{
    public const string Portal = "https://tenant-admin.3scale.net";

    public static SettingsSource Environment(params (string Name, string Value)[] variables) => Create(variables, []);

    public static SettingsSource Create((string Name, string Value)[] variables, (string Name, string Value)[] flags)
    {
        var environment = variables.ToDictionary(v => v.Name, v => v.Value, StringComparer.Ordinal);
        var flagConfiguration = Configuration(flags);
        var merged = new ConfigurationBuilder()
            .AddConfiguration(Configuration(variables))
            .AddConfiguration(flagConfiguration)
            .Build();
        return new SettingsSource(flagConfiguration, environment, merged);
    }

    public static SidecarOptions Read(params (string Name, string Value)[] variables) =>
        SidecarOptionsReader.Read(Environment([(SettingNames.PortalEndpoint, Portal), .. variables]));

    // Like the environment-variables provider: keys are case-insensitive and the last spelling set wins.
    private static IConfiguration Configuration((string Name, string Value)[] settings)
    {
        var keys = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in settings)
        {
            keys[name] = value;
        }

        return new ConfigurationBuilder().AddInMemoryCollection(keys).Build();
    }
}
