using System.Globalization;
using System.Text.RegularExpressions;

namespace ApicastSidecarProxy.FunctionalTests.Infrastructure;

/// <summary>Reads one metric from a running sidecar's /metrics (Prometheus text format).</summary>
public static partial class SidecarMetricsReader
{
    /// <summary>The sum of every sample of <paramref name="name"/>; 0 when there is none yet.</summary>
    public static async Task<double> SumAsync(SidecarProcess sidecar, string name)
    {
        using var client = TestHttpClients.Direct();
        var exposition = await client.GetStringAsync(new Uri(sidecar.ManagementUri, "/metrics"));
        return exposition.Split('\n')
            .Select(line => Sample().Match(line))
            .Where(match => match.Success && match.Groups["name"].Value == name)
            .Sum(match => double.Parse(match.Groups["value"].Value, CultureInfo.InvariantCulture));
    }

    /// <summary>The sample of <paramref name="name"/> whose labels contain <paramref name="label"/> (e.g. <c>route="backend"</c>).</summary>
    public static async Task<double> ValueAsync(SidecarProcess sidecar, string name, string label)
    {
        using var client = TestHttpClients.Direct();
        var exposition = await client.GetStringAsync(new Uri(sidecar.ManagementUri, "/metrics"));
        var sample = exposition.Split('\n')
            .Select(line => Sample().Match(line))
            .First(match => match.Success && match.Groups["name"].Value == name && match.Groups["labels"].Value.Contains(label, StringComparison.Ordinal));
        return double.Parse(sample.Groups["value"].Value, CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"^(?<name>[a-z_]+)(\{(?<labels>[^}]*)\})? (?<value>\S+)")]
    private static partial Regex Sample();
}
