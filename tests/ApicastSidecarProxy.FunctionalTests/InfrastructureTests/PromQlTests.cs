using ApicastSidecarProxy.FunctionalTests.Infrastructure;

namespace ApicastSidecarProxy.FunctionalTests.InfrastructureTests;

public class PromQlTests
{
    [Theory]
    [InlineData("apicast_sidecar_ready == 0", "apicast_sidecar_ready")]
    [InlineData("increase(apicast_sidecar_proxy_auth_failures_total[5m]) > 0", "apicast_sidecar_proxy_auth_failures_total")]
    [InlineData("histogram_quantile(0.99, sum by (le, route) (rate(x_bucket{instance=~\"$instance\"}[$__rate_interval])))", "x_bucket")]
    [InlineData("sum by (route) (rate(a_total{error_type!~\"|client_aborted\"}[5m])) / sum without (le) (rate(b_total[5m])) > 0.05", "a_total b_total")]
    [InlineData("(expiry_seconds{instance=~\"$instance\"} - time()) / 86400 < 14 * 86400", "expiry_seconds")]
    [InlineData("a and on (route) b or c unless ignoring(x) group_left d offset 5m", "a b c d")]
    [InlineData("label_replace(up, \"dst\", \"$1\", \"src\", \"(.*)\")", "up")]
    public void MetricNames_AreTheSelectorsOfTheExpression(string expression, string names)
    {
        Assert.Equal(names.Split(' ').Order(), PromQl.MetricNames(expression).Order());
    }
}
