using Microsoft.Extensions.Configuration;

namespace ApicastSidecarProxy.Configuration;

/// <summary>
/// Where settings are read from. Configuration keys are case-insensitive (environment, command-line flags,
/// appsettings.json), but the proxy variables follow curl, where the lowercase spelling wins over the uppercase one:
/// those are looked up case-sensitively in the raw environment first.
/// </summary>
public sealed class SettingsSource(IConfiguration configuration, IReadOnlyDictionary<string, string> environment)
{
    /// <summary>The value of a setting, or null when it is unset or blank.</summary>
    public string? Get(string name) => NullIfBlank(configuration[name]);

    /// <summary>
    /// The first of <paramref name="names"/> set in the environment with exactly that spelling; failing that, the first
    /// set through configuration (flags, appsettings). Returns the name that supplied the value, for error messages.
    /// </summary>
    public (string Name, string Value)? GetFirst(params string[] names)
    {
        foreach (var name in names)
        {
            if (environment.TryGetValue(name, out var value) && NullIfBlank(value) is { } set)
            {
                return (name, set);
            }
        }

        foreach (var name in names)
        {
            if (Get(name) is { } set)
            {
                return (name, set);
            }
        }

        return null;
    }

    public static SettingsSource FromProcess(string[] args)
    {
        var configuration = new ConfigurationBuilder()
            .AddJsonFile("appsettings.json", optional: true)
            .AddEnvironmentVariables()
            .AddCommandLine(args)
            .Build();
        return new SettingsSource(configuration, ReadEnvironment());
    }

    private static Dictionary<string, string> ReadEnvironment()
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (System.Collections.DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            environment[(string)entry.Key] = (string?)entry.Value ?? "";
        }

        return environment;
    }

    private static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
