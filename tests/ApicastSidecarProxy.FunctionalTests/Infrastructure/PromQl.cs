using System.Text.RegularExpressions;

namespace ApicastSidecarProxy.FunctionalTests.Infrastructure;

/// <summary>The metric names a PromQL expression (a rule's, a Grafana panel's) reads.</summary>
public static partial class PromQl
{
    private static readonly HashSet<string> Keywords = new(StringComparer.Ordinal)
    {
        "by", "without", "on", "ignoring", "group_left", "group_right", "bool", "offset", "and", "or", "unless", "inf", "nan",
    };

    /// <summary>
    /// Every metric name in <paramref name="expression"/>: the identifiers left once strings, label matchers, ranges,
    /// grouping clauses, Grafana variables and function names are taken out.
    /// </summary>
    public static IReadOnlySet<string> MetricNames(string expression)
    {
        var text = StringLiteral().Replace(expression, " ");
        text = LabelMatchers().Replace(text, " ");
        text = Range().Replace(text, " ");
        text = GroupingClause().Replace(text, " ");
        text = GrafanaVariable().Replace(text, " ");
        return Identifier().Matches(text)
            .Where(match => !Keywords.Contains(match.Groups["name"].Value) && !match.Groups["call"].Success)
            .Select(match => match.Groups["name"].Value)
            .ToHashSet(StringComparer.Ordinal);
    }

    [GeneratedRegex(@"""(?:[^""\\]|\\.)*""|'(?:[^'\\]|\\.)*'")]
    private static partial Regex StringLiteral();

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex LabelMatchers();

    [GeneratedRegex(@"\[[^\]]*\]")]
    private static partial Regex Range();

    [GeneratedRegex(@"\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)")]
    private static partial Regex GroupingClause();

    [GeneratedRegex(@"\$\{?\w+\}?")]
    private static partial Regex GrafanaVariable();

    [GeneratedRegex(@"(?<![\w.])(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(?<call>\s*\()?")]
    private static partial Regex Identifier();
}
