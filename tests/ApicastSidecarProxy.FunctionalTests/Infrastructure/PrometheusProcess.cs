using System.Net.Http.Json;
using System.Text.Json;

namespace ApicastSidecarProxy.FunctionalTests.Infrastructure;

/// <summary>
/// A real Prometheus server (Debian's prometheus) on a free loopback port, with its storage in a temporary directory,
/// scraping the given targets every second and evaluating the given rule files. Stopped by its PID.
/// </summary>
public sealed class PrometheusProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly ChildProcess _process;
    private readonly string _directory;
    private readonly HttpClient _client;

    private PrometheusProcess(ChildProcess process, string directory, Uri baseUri)
    {
        _process = process;
        _directory = directory;
        _client = TestHttpClients.Direct();
        _client.BaseAddress = baseUri;
    }

    /// <param name="targets">host:port of each /metrics to scrape.</param>
    /// <param name="ruleFiles">Absolute paths of rule files to evaluate (every second).</param>
    public static async Task<PrometheusProcess> StartAsync(IEnumerable<string> targets, IEnumerable<string> ruleFiles)
    {
        var directory = Directory.CreateTempSubdirectory("prometheus-").FullName;
        var port = FreeTcpPort.Find();
        var config = Path.Combine(directory, "prometheus.yml");
        // JSON is YAML: the values are quoted by the serializer instead of by hand.
        File.WriteAllText(config, JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["global"] = new Dictionary<string, string> { ["scrape_interval"] = "1s", ["evaluation_interval"] = "1s" },
            ["rule_files"] = ruleFiles.ToArray(),
            ["scrape_configs"] = new[]
            {
                new Dictionary<string, object> { ["job_name"] = "apicast-sidecar-proxy", ["static_configs"] = new[] { new { targets = targets.ToArray() } } },
            },
        }));
        var process = ChildProcess.Start(
            ExecutableLocator.Find("prometheus", "Install it: apt-get install prometheus."),
            [$"--config.file={config}", $"--storage.tsdb.path={Path.Combine(directory, "data")}",
             $"--web.listen-address=127.0.0.1:{port}", "--log.level=warn"],
            directory);
        var prometheus = new PrometheusProcess(process, directory, new Uri($"http://127.0.0.1:{port}/"));
        try
        {
            await Eventually.ReturnsAsync(prometheus.IsReadyAsync, ready => ready || process.HasExited, StartTimeout, "Prometheus ready");
            if (process.HasExited)
            {
                throw new InvalidOperationException($"prometheus exited with {process.ExitCode}:\n{process.RecentOutput}");
            }
        }
        catch
        {
            await prometheus.DisposeAsync();
            throw;
        }

        return prometheus;
    }

    /// <summary>The number of series an instant query returns now.</summary>
    public async Task<int> SeriesCountAsync(string query)
    {
        var answer = await _client.GetFromJsonAsync<JsonElement>($"api/v1/query?query={Uri.EscapeDataString(query)}");
        return answer.GetProperty("data").GetProperty("result").GetArrayLength();
    }

    /// <summary>The query of every rule Prometheus loaded, as it parsed them.</summary>
    public async Task<IReadOnlyList<string>> RuleQueriesAsync()
    {
        var answer = await _client.GetFromJsonAsync<JsonElement>("api/v1/rules");
        return answer.GetProperty("data").GetProperty("groups").EnumerateArray()
            .SelectMany(group => group.GetProperty("rules").EnumerateArray())
            .Select(rule => rule.GetProperty("query").GetString()!)
            .ToList();
    }

    /// <summary>Whether every scrape target answered its last scrape.</summary>
    public async Task<bool> AllTargetsUpAsync()
    {
        var answer = await _client.GetFromJsonAsync<JsonElement>("api/v1/targets");
        var targets = answer.GetProperty("data").GetProperty("activeTargets").EnumerateArray().ToList();
        return targets.Count > 0 && targets.All(target => target.GetProperty("health").GetString() == "up");
    }

    public string RecentOutput => _process.RecentOutput;

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _process.DisposeAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still being closed: the temporary directory is left behind.
        }
    }

    private async Task<bool> IsReadyAsync()
    {
        try
        {
            using var response = await _client.GetAsync("-/ready");
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }
}
