using ApicastSidecarProxy.DeploymentTests.Infrastructure;

namespace ApicastSidecarProxy.DeploymentTests.Systemd;

/// <summary>
/// The VM install: a hardened Type=notify unit whose settings come from a root-only EnvironmentFile and whose proxy
/// password is a systemd credential.
/// </summary>
public class SystemdUnitTests
{
    private static readonly IReadOnlyList<(string Section, string Key, string Value)> Unit = ParseUnit(RepositoryFiles.SystemdUnit);

    private static string? Service(string key) => Unit.LastOrDefault(e => e.Section == "Service" && e.Key == key).Value;

    [Fact]
    public void Unit_ReadsItsSettingsFromAnEnvironmentFile_AndCarriesOnlyItsOwnPaths()
    {
        Assert.Equal("/etc/apicast-sidecar-proxy/apicast-sidecar-proxy.env", Service("EnvironmentFile"));
        // The two paths systemd provides (%d, %C); every other setting lives in the EnvironmentFile, and the garbage
        // collector's are baked into the binary (Build/RuntimeSettingsTests).
        string[] expected = ["PROXY_PASSWORD_FILE=%d/proxy-password", "CONFIG_CACHE_DIR=%C/apicast-sidecar-proxy"];
        Assert.Equal(expected.Order(StringComparer.Ordinal),
            Unit.Where(e => e.Key == "Environment").Select(e => e.Value).Order(StringComparer.Ordinal));
        Assert.Equal("/usr/local/bin/apicast-sidecar-proxy", Service("ExecStart"));
    }

    [Fact]
    public void ProxyPassword_IsASystemdCredential_NotAnEnvironmentVariable()
    {
        Assert.Equal("proxy-password:/etc/apicast-sidecar-proxy/proxy-password", Service("LoadCredential"));
        Assert.Contains("PROXY_PASSWORD_FILE=%d/proxy-password", Unit.Where(e => e.Key == "Environment").Select(e => e.Value));
    }

    [Fact]
    public void Unit_IsTypeNotify_TheSidecarSaysReadyOnceItsListenersAreBound()
    {
        // Management/SystemdNotification.cs; the functional test SystemdNotifyTests receives the READY=1.
        Assert.Equal("notify", Service("Type"));
        Assert.Equal("main", Service("NotifyAccess"));
    }

    [Fact]
    public void ConfigurationCache_LivesInTheUnitsCacheDirectory()
    {
        Assert.Equal("apicast-sidecar-proxy", Service("CacheDirectory"));
        Assert.Equal("0700", Service("CacheDirectoryMode"));
    }

    [Fact]
    public void Unit_RunsUnprivileged_AndDoesNotRestartOnAConfigurationError()
    {
        Assert.Equal("yes", Service("DynamicUser"));
        Assert.Equal("yes", Service("NoNewPrivileges"));
        Assert.Equal("", Service("CapabilityBoundingSet"));
        Assert.Equal("strict", Service("ProtectSystem"));
        Assert.Equal("on-failure", Service("Restart"));
        Assert.Equal("1", Service("RestartPreventExitStatus"));
        Assert.Equal("SIGTERM", Service("KillSignal"));
        Assert.Equal("multi-user.target", Unit.Single(e => e.Section == "Install" && e.Key == "WantedBy").Value);
    }

    [Fact]
    public void EnvironmentFile_SetsOnlySettingsTheApplicationReads_CommentedOnesIncluded()
    {
        var names = File.ReadAllLines(RepositoryFiles.SystemdEnvironmentFile)
            .Select(line => line.TrimStart('#').Trim())
            .Where(line => System.Text.RegularExpressions.Regex.IsMatch(line, "^[A-Za-z_][A-Za-z0-9_]*="))
            .Select(line => line[..line.IndexOf('=')])
            .ToList();

        Assert.Contains("THREESCALE_PORTAL_ENDPOINT", names);
        Assert.DoesNotContain("PROXY_PASSWORD", names);
        Assert.All(names, name => Assert.True(SidecarSettings.Names.Contains(name), $"{name} is not in SettingNames"));
    }

    [Fact]
    public void EnvironmentFile_SaysItMustBeRootOnly()
    {
        var text = File.ReadAllText(RepositoryFiles.SystemdEnvironmentFile);
        var unit = File.ReadAllText(RepositoryFiles.SystemdUnit);

        Assert.Contains("0600", text);
        Assert.Contains("install -m 0600 -o root -g root", unit);
    }

    private static List<(string, string, string)> ParseUnit(string path)
    {
        var entries = new List<(string, string, string)>();
        var section = "";
        foreach (var raw in File.ReadAllLines(path))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#') || line.StartsWith(';'))
            {
                continue;
            }

            if (line.StartsWith('[') && line.EndsWith(']'))
            {
                section = line[1..^1];
                continue;
            }

            var equals = line.IndexOf('=');
            Assert.True(equals > 0, $"not KEY=value: {line}");
            entries.Add((section, line[..equals].Trim(), line[(equals + 1)..].Trim()));
        }

        return entries;
    }
}
