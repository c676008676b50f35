using System.Buffers;
using System.Diagnostics.Metrics;
using System.Globalization;

namespace ApicastSidecarProxy.Observability.Prometheus;

/// <summary>The Prometheus text exposition format (0.0.4): metric names, label text, escaping and numbers.</summary>
public static class PrometheusText
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    /// <summary>
    /// OpenTelemetry's Prometheus naming rules: dots (and any other character a metric name cannot hold) become
    /// underscores, the unit (s, By) becomes a suffix, and a counter ends in _total. "apicast_sidecar.request.body" in
    /// By, a counter: apicast_sidecar_request_body_bytes_total.
    /// </summary>
    public static string MetricName(Instrument instrument)
    {
        var name = string.Create(instrument.Name.Length, instrument.Name, static (chars, source) =>
        {
            for (var i = 0; i < chars.Length; i++)
            {
                chars[i] = IsNameCharacter(source[i], first: i == 0) ? source[i] : '_';
            }
        });
        var unitSuffix = instrument.Unit switch
        {
            "s" => "_seconds",
            "By" => "_bytes",
            _ => "",
        };
        if (!name.EndsWith(unitSuffix, StringComparison.Ordinal))
        {
            name += unitSuffix;
        }

        return IsCounter(instrument) && !name.EndsWith("_total", StringComparison.Ordinal) ? name + "_total" : name;
    }

    /// <summary>Monotonic sums are Prometheus counters; up-down counters and gauges are gauges.</summary>
    public static bool IsCounter(Instrument instrument) =>
        IsOfKind(instrument, typeof(Counter<>)) || IsOfKind(instrument, typeof(ObservableCounter<>));

    /// <summary>Whether the instrument is a <paramref name="genericDefinition"/> of any number type (Counter&lt;&gt;...).</summary>
    public static bool IsOfKind(Instrument instrument, Type genericDefinition) =>
        instrument.GetType() is { IsGenericType: true } type && type.GetGenericTypeDefinition() == genericDefinition;

    /// <summary>
    /// Appends the label text of one series (route="backend",http_response_status_code="200", no braces) to
    /// <paramref name="text"/>; tag names are written as label names (dots become underscores).
    /// The text is the series' key, so a call site must pass its tags in the same order every time, as
    /// <see cref="SidecarMetrics"/> does. Tag values are expected to be strings or numbers; anything else is written
    /// with ToString().
    /// </summary>
    public static void AppendLabels(ref LabelText text, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        for (var i = 0; i < tags.Length; i++)
        {
            if (i > 0)
            {
                text.Append(',');
            }

            AppendLabelName(ref text, tags[i].Key);
            text.Append("=\"");
            switch (tags[i].Value)
            {
                case string value:
                    AppendEscaped(ref text, value);
                    break;
                case int number:
                    text.Append(number);
                    break;
                case long number:
                    text.Append(number);
                    break;
                case var other:
                    AppendEscaped(ref text, Convert.ToString(other, CultureInfo.InvariantCulture) ?? "");
                    break;
            }

            text.Append('"');
        }
    }

    public static string EscapeHelp(string help) => help.Replace("\\", @"\\").Replace("\n", @"\n");

    public static string Number(double value) => value switch
    {
        double.PositiveInfinity => "+Inf",
        double.NegativeInfinity => "-Inf",
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };

    // Attribute names such as http.request.method become label names such as http_request_method.
    private static void AppendLabelName(ref LabelText text, string key)
    {
        for (var i = 0; i < key.Length; i++)
        {
            text.Append(IsNameCharacter(key[i], first: i == 0) && key[i] != ':' ? key[i] : '_');
        }
    }

    private static bool IsNameCharacter(char c, bool first) =>
        char.IsAsciiLetter(c) || c is '_' or ':' || (!first && char.IsAsciiDigit(c));

    private static readonly SearchValues<char> LabelSpecials = SearchValues.Create("\\\"\n");

    private static void AppendEscaped(ref LabelText text, string value)
    {
        var rest = value.AsSpan();
        int special;
        while ((special = rest.IndexOfAny(LabelSpecials)) >= 0)
        {
            text.Append(rest[..special]);
            text.Append(rest[special] switch
            {
                '\\' => @"\\",
                '"' => "\\\"",
                _ => @"\n",
            });
            rest = rest[(special + 1)..];
        }

        text.Append(rest);
    }
}
