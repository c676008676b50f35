using Microsoft.Extensions.Configuration;

namespace ApicastSidecarProxy.Configuration;

/// <summary>
/// Where settings are read from, in order of precedence: command-line flags (--NAME=value), the environment, then
/// appsettings.json in the working directory. Configuration keys are case-insensitive, but the proxy variables follow
/// curl, where the lowercase spelling wins over the uppercase one: for those the environment is read case-sensitively.
/// </summary>
public sealed class SettingsSource(IConfiguration flags, IReadOnlyDictionary<string, string> environment, IConfiguration merged)
{
    private const string CommandLine = "command line";
    private const string SettingsFile = "appsettings.json";

    /// <summary>The value of a setting, trimmed; null when it is unset or blank.</summary>
    public string? Get(string name) => NullIfBlank(merged[name])?.Trim();

    /// <summary>The value exactly as given (a password keeps its spaces); null when unset or empty.</summary>
    public string? GetVerbatim(string name) => string.IsNullOrEmpty(merged[name]) ? null : merged[name];

    /// <summary>
    /// The first of <paramref name="names"/> given as a flag; failing that, the first set in the environment with exactly
    /// that spelling; failing that, the first in appsettings.json. Returns the name that supplied the value, for messages.
    /// </summary>
    public (string Name, string Value)? GetFirst(params string[] names)
    {
        foreach (var name in names)
        {
            if (NullIfBlank(flags[name]) is { } flag)
            {
                return (name, flag.Trim());
            }
        }

        foreach (var name in names)
        {
            if (environment.TryGetValue(name, out var value) && NullIfBlank(value) is { } set)
            {
                return (name, set.Trim());
            }
        }

        foreach (var name in names)
        {
            if (Get(name) is { } fromFile)
            {
                return (name, fromFile);
            }
        }

        return null;
    }

    /// <param name="directory">Where appsettings.json is looked for; the working directory by default.</param>
    /// <exception cref="ConfigurationException">A flag cannot be parsed, or appsettings.json cannot be read.</exception>
    public static SettingsSource FromProcess(string[] args, string? directory = null)
    {
        RefuseStrayWords(args);
        IConfiguration flags;
        try
        {
            flags = new ConfigurationBuilder().AddCommandLine(args).Build();
        }
        catch (FormatException)
        {
            // .NET's message quotes the whole argument, which may be --PROXY_PASSWORD=... with one dash too few.
            throw new ConfigurationException(CommandLine, "an argument is neither --NAME=value nor --NAME value (not repeated here: it may hold a secret)");
        }

        // .NET would take a mistyped name (--PORTAL_LISTEN_PORTT=1) and the sidecar would ignore it. Only the name is
        // shown: the value may be a secret.
        if (flags.GetChildren().FirstOrDefault(flag => !SettingNames.All.Contains(flag.Key)) is { } unknown)
        {
            throw new ConfigurationException(CommandLine, $"unknown setting --{unknown.Key} (the README lists every setting)");
        }

        try
        {
            var merged = new ConfigurationBuilder()
                .SetBasePath(directory ?? Directory.GetCurrentDirectory())
                .AddJsonFile(SettingsFile, optional: true)
                .AddEnvironmentVariables()
                .AddConfiguration(flags)
                .Build();
            return new SettingsSource(flags, ReadEnvironment(), merged);
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or IOException or UnauthorizedAccessException)
        {
            throw new ConfigurationException(SettingsFile, $"cannot be read, or is not valid JSON ({e.GetType().Name})");
        }
    }

    // .NET ignores a word that is neither a flag nor a flag's value: a mistyped subcommand, or `check` after a flag,
    // would start the server instead.
    private static void RefuseStrayWords(string[] args)
    {
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i].StartsWith('-') || args[i].StartsWith('/'))
            {
                if (!args[i].Contains('=') && i == args.Length - 1)
                {
                    // .NET drops a last flag without a value; the name alone is shown (it holds no value to leak).
                    throw new ConfigurationException(CommandLine, $"{args[i]} has no value (settings are --NAME=value)");
                }

                i += args[i].Contains('=') ? 0 : 1; // --NAME value: the next argument is the value
                continue;
            }

            throw new ConfigurationException(CommandLine,
                $"argument {i + 1} is neither a flag nor a flag's value (settings are --NAME=value; the subcommand check must come first)");
        }
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

    private static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
