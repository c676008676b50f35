using System.Net;
using System.Text.RegularExpressions;
using ApicastSidecarProxy.FunctionalTests.Infrastructure;

namespace ApicastSidecarProxy.FunctionalTests.Management;

/// <summary>/metrics counts traffic, labels errors, and never shows a secret.</summary>
[Collection(ProxyChainCollection.Name)]
public partial class MetricsTests(ProxyChainFixture chain)
{
    [Fact]
    public async Task Counters_MoveWithTraffic()
    {
        await using var sidecar = await SidecarProcess.StartAsync(chain.SidecarEnvironment(chain.Tinyproxy));
        using var client = TestHttpClients.Direct();
        for (var i = 0; i < 3; i++)
        {
            using var response = await client.GetAsync(new Uri(sidecar.BackendUri, "/transactions/authorize.xml?user_key=metrics-s3cret"));
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        }

        // Metrics are recorded just before the access-log line, after the answer has left: wait for the third line.
        await sidecar.WaitForLineAsync(line => line.Contains(" access[") && Occurrences(sidecar.Output, " access[") >= 3);
        var metrics = await client.GetStringAsync(new Uri(sidecar.ManagementUri, "/metrics"));

        Assert.Equal(3, Value(metrics, "apicast_sidecar_requests_total", "route=\"backend\"", "http_response_status_code=\"403\"", "http_request_method=\"GET\""));
        Assert.DoesNotContain("error_type", metrics); // absent on success
        Assert.Equal(3, Value(metrics, "apicast_sidecar_request_duration_seconds_count", "route=\"backend\"", "http_response_status_code=\"403\""));
        Assert.True(Value(metrics, "apicast_sidecar_response_body_bytes_total", "route=\"backend\"") > 0);
        // tinyproxy closes the connection after its 401 challenge: the tunnel may take a second connection.
        Assert.InRange(Value(metrics, "apicast_sidecar_proxy_connections_opened_total"), 1, 2);
        Assert.Equal(1, Value(metrics, "apicast_sidecar_proxy_connections_open"));
        Assert.Equal(0, Value(metrics, "apicast_sidecar_log_dropped_lines_total")); // the test reads the sidecar's stdout
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        Assert.InRange(Value(metrics, "apicast_sidecar_upstream_certificate_expiry_timestamp_seconds", "route=\"backend\""),
            now + 86400, now + 20 * 365 * 86400); // the test CA's upstream certificate, seen in the tunnel's handshake
        Assert.Equal(1, Value(metrics, "apicast_sidecar_build_info", "version=\""));
        Assert.InRange(Value(metrics, "process_start_time_seconds"), now - 600, now);
        Assert.Equal(0, Value(metrics, "apicast_sidecar_proxy_auth_failures_total", "route=\"portal\""));
        Assert.DoesNotContain("metrics-s3cret", metrics);
    }

    [Fact]
    public async Task Errors_AreLabelled_AndProxyAuthFailuresCounted()
    {
        var environment = chain.SidecarEnvironment(chain.Squid);
        environment["https_proxy"] = $"http://{ProxyChainFixture.SquidUser}:metrics-wr0ng@127.0.0.1:{chain.Squid.Port}";
        await using var sidecar = await SidecarProcess.StartAsync(environment);
        using var client = TestHttpClients.Direct();
        using (var response = await client.GetAsync(new Uri(sidecar.PortalUri, "/admin/api/accounts.xml")))
        {
            Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        }

        await sidecar.WaitForAccessLogAsync("proxy_auth_failed");
        var metrics = await client.GetStringAsync(new Uri(sidecar.ManagementUri, "/metrics"));

        Assert.Equal(1, Value(metrics, "apicast_sidecar_requests_total", "route=\"portal\"", "http_response_status_code=\"502\"", "error_type=\"proxy_auth_failed\""));
        Assert.Equal(1, Value(metrics, "apicast_sidecar_proxy_auth_failures_total", "route=\"portal\""));
        Assert.DoesNotContain("metrics-wr0ng", metrics);
    }

    /// <summary>The value of the one sample of <paramref name="name"/> whose labels include all of <paramref name="labels"/>.</summary>
    private static double Value(string exposition, string name, params string[] labels)
    {
        var samples = exposition.Split('\n')
            .Select(line => Sample().Match(line))
            .Where(m => m.Success && m.Groups["name"].Value == name && labels.All(l => m.Groups["labels"].Value.Contains(l)))
            .ToList();
        Assert.True(samples.Count == 1, $"expected one {name}{{{string.Join(',', labels)}}} sample, found {samples.Count}:\n{exposition}");
        return double.Parse(samples[0].Groups["value"].Value, System.Globalization.CultureInfo.InvariantCulture);
    }

    private static int Occurrences(string text, string value) => text.Split(value).Length - 1;

    [GeneratedRegex(@"^(?<name>[a-z_]+)(\{(?<labels>[^}]*)\})? (?<value>\S+)")]
    private static partial Regex Sample();
}
