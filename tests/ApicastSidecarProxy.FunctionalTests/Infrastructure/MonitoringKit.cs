using System.Text.Json;

namespace ApicastSidecarProxy.FunctionalTests.Infrastructure;

/// <summary>The files of deploy/monitoring/ that name metrics: the alert rules and the Grafana dashboard.</summary>
public static class MonitoringKit
{
    public static string Directory { get; } = Path.Combine(RepositoryRoot(), "deploy", "monitoring");

    public static string AlertRules => Path.Combine(Directory, "alerts.rules.yaml");

    public static string Dashboard => Path.Combine(Directory, "dashboard.json");

    /// <summary>The query of every panel target in the dashboard (rows, which hold none, excluded).</summary>
    public static IReadOnlyList<string> DashboardQueries()
    {
        using var dashboard = JsonDocument.Parse(File.ReadAllText(Dashboard));
        return dashboard.RootElement.GetProperty("panels").EnumerateArray()
            .Where(panel => panel.TryGetProperty("targets", out _))
            .SelectMany(panel => panel.GetProperty("targets").EnumerateArray())
            .Select(target => target.GetProperty("expr").GetString()!)
            .ToList();
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "ApicastSidecarProxy.slnx")))
            {
                return directory.FullName;
            }
        }

        throw new DirectoryNotFoundException($"no ApicastSidecarProxy.slnx above {AppContext.BaseDirectory}");
    }
}
