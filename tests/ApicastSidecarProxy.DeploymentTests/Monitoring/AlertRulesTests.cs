using ApicastSidecarProxy.DeploymentTests.Infrastructure;

namespace ApicastSidecarProxy.DeploymentTests.Monitoring;

/// <summary>
/// deploy/monitoring/alerts.rules.yaml is valid for Prometheus, each alert is proven by promtool unit tests with input
/// series, and the PrometheusRule carries exactly the same rules.
/// </summary>
public class AlertRulesTests
{
    [Fact]
    public async Task Rules_PassPromtoolCheck()
    {
        var (exitCode, output) = await Promtool.RunAsync(RepositoryFiles.Monitoring, "check", "rules", "alerts.rules.yaml");

        Assert.True(exitCode == 0, output);
        Assert.Contains($"SUCCESS: {AlertNames().Count} rules found", output);
    }

    [Fact]
    public async Task Rules_PassTheirPromtoolUnitTests()
    {
        var (exitCode, output) = await Promtool.RunAsync(RepositoryFiles.Monitoring, "test", "rules", "alerts.test.yaml");

        Assert.True(exitCode == 0, output);
    }

    [Fact]
    public void EveryAlert_HasUnitTests_ThatExpectItToFire_AndNotToFire()
    {
        var checks = YamlFile.LoadSingle(RepositoryFiles.AlertRuleTests).Maps("tests")
            .SelectMany(test => test.Maps("alert_rule_test"))
            .Select(check => (Alert: check.String("alertname"), Fires: check.OptionalMaps("exp_alerts") is { Count: > 0 }))
            .ToList();

        Assert.All(AlertNames(), alert =>
        {
            Assert.Contains((alert, true), checks);
            Assert.Contains((alert, false), checks);
        });
    }

    [Fact]
    public void EveryAlert_HasASeverity_ASummary_AndADescription()
    {
        var rules = Groups(YamlFile.LoadSingle(RepositoryFiles.AlertRules)).SelectMany(group => group.Maps("rules")).ToList();

        Assert.All(rules, rule =>
        {
            Assert.Contains(rule.Map("labels").String("severity"), new[] { "critical", "warning" });
            Assert.False(string.IsNullOrWhiteSpace(rule.Map("annotations").String("summary")), rule.String("alert"));
            Assert.False(string.IsNullOrWhiteSpace(rule.Map("annotations").String("description")), rule.String("alert"));
        });
    }

    [Fact]
    public void PrometheusRule_CarriesTheRulesOfTheRuleFile()
    {
        var ruleFile = YamlFile.LoadSingle(RepositoryFiles.AlertRules);
        var prometheusRule = YamlFile.LoadSingle(RepositoryFiles.PrometheusRule);

        Assert.Equal("monitoring.coreos.com/v1", prometheusRule.String("apiVersion"));
        Assert.Equal(Canonical(ruleFile.Entries["groups"]), Canonical(prometheusRule.Map("spec").Entries["groups"]));
    }

    private static IReadOnlyList<string> AlertNames() =>
        Groups(YamlFile.LoadSingle(RepositoryFiles.AlertRules)).SelectMany(group => group.Maps("rules")).Select(rule => rule.String("alert")).ToList();

    private static IReadOnlyList<YamlMap> Groups(YamlMap document) => document.Maps("groups");

    // The whole tree as text, keys in order: equal text, equal rules.
    private static string Canonical(object? node) => node switch
    {
        YamlMap map => "{" + string.Join(",", map.Entries.OrderBy(e => e.Key, StringComparer.Ordinal)
            .Select(e => $"{e.Key}:{Canonical(e.Value)}")) + "}",
        IEnumerable<object?> list => "[" + string.Join(",", list.Select(Canonical)) + "]",
        _ => System.Text.Json.JsonSerializer.Serialize(node as string),
    };
}
