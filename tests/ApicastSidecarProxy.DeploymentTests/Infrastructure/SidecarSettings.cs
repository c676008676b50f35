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

    /// <summary>
    /// Variables of the system Kerberos library (MIT krb5), which the sidecar does not read itself but documents for
    /// PROXY_AUTH=negotiate (README, docs/proxy-authentication.md).
    /// </summary>
    public static IReadOnlySet<string> KerberosLibraryVariables { get; } =
        new HashSet<string>(["KRB5_CONFIG", "KRB5_CLIENT_KTNAME", "KRB5CCNAME"], StringComparer.Ordinal);

    /// <summary>Whether a manifest may set <paramref name="name"/> on the sidecar.</summary>
    public static bool IsRead(string name) => Names.Contains(name) || KerberosLibraryVariables.Contains(name);
}
