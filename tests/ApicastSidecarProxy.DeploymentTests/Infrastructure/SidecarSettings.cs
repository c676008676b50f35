using System.Reflection;
using ApicastSidecarProxy.Configuration;

namespace ApicastSidecarProxy.DeploymentTests.Infrastructure;

/// <summary>What the application reads, taken from its own constants so the manifests cannot drift from the code.</summary>
public static class SidecarSettings
{
    /// <summary>
    /// Every setting name: the public string constants of <see cref="SettingNames"/> and the items of its public string
    /// arrays (the proxy variables in both spellings). The Default* members are values, not names.
    /// </summary>
    public static IReadOnlySet<string> Names { get; } = typeof(SettingNames)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(field => !field.Name.StartsWith("Default", StringComparison.Ordinal))
        .SelectMany(field => field.GetValue(null) switch
        {
            string name => [name],
            string[] names => names,
            _ => Array.Empty<string>(),
        })
        .ToHashSet(StringComparer.Ordinal);
}
