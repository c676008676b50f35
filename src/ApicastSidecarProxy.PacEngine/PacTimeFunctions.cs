using Jint;
using Jint.Native;

namespace ApicastSidecarProxy.PacEngine;

/// <summary>
/// weekdayRange, dateRange and timeRange of Netscape's specification, on an injectable clock. Each takes an optional
/// last argument "GMT" (UTC; otherwise local time). Ranges wrap around (weekdayRange("FRI", "MON"), timeRange(22, 6)).
/// Days and dates are inclusive, times are half-open ([start, end)), as in Mozilla's and Chromium's pac utilities.
/// Arguments that do not fit a form make the function return false, as in browsers.
/// </summary>
internal sealed class PacTimeFunctions(TimeProvider time)
{
    private static readonly string[] Weekdays = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];
    private static readonly string[] Months = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];

    public bool WeekdayRange(JsValue[] arguments)
    {
        var (values, now) = Split(arguments);
        if (values.Length is not (1 or 2))
        {
            return false;
        }

        var first = IndexOf(Weekdays, values[0]);
        var last = values.Length == 2 ? IndexOf(Weekdays, values[1]) : first;
        return first >= 0 && last >= 0 && InRange(first, (int)now.DayOfWeek, last, inclusiveEnd: true);
    }

    public bool TimeRange(JsValue[] arguments)
    {
        var (values, now) = Split(arguments);
        // A loop, not values.Select(Number): that LINQ over JsValue[] fails fast in the Native AOT build (measured).
        var numbers = new int[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            if (Number(values[i]) is not { } number)
            {
                return false;
            }

            numbers[i] = number;
        }

        int At(int index) => numbers[index];
        var second = now.Hour * 3600 + now.Minute * 60 + now.Second;
        return numbers.Length switch
        {
            1 => now.Hour == At(0),
            2 => InRange(At(0) * 3600, second, At(1) * 3600, inclusiveEnd: false),
            4 => InRange(At(0) * 3600 + At(1) * 60, second, At(2) * 3600 + At(3) * 60, inclusiveEnd: false),
            6 => InRange(At(0) * 3600 + At(1) * 60 + At(2), second, At(3) * 3600 + At(4) * 60 + At(5), inclusiveEnd: false),
            _ => false,
        };
    }

    /// <summary>
    /// dateRange(day | month | year), or two halves of the same fields: (day1, day2), (month1, month2), (year1, year2),
    /// (day1, month1, day2, month2), (month1, year1, month2, year2), (day1, month1, year1, day2, month2, year2).
    /// Numbers up to 31 are days, larger ones years; months are JAN..DEC.
    /// </summary>
    public bool DateRange(JsValue[] arguments)
    {
        var (values, now) = Split(arguments);
        if (values.Length is not (1 or 2 or 4 or 6))
        {
            return false;
        }

        var half = Math.Max(1, values.Length / 2);
        var start = PartialDate.From(values[..half]);
        var end = values.Length == 1 ? start : PartialDate.From(values[half..]);
        if (start is null || end is null || start.Value.Fields != end.Value.Fields)
        {
            return false;
        }

        var today = new PartialDate(start.Value.Fields, now.Day, now.Month - 1, now.Year);
        return InRange(start.Value.Key, today.Key, end.Value.Key, inclusiveEnd: true);
    }

    private (JsValue[] Values, DateTime Now) Split(JsValue[] arguments)
    {
        var gmt = arguments.Length > 0 && arguments[^1].IsString() && arguments[^1].AsString().Equals("GMT", StringComparison.OrdinalIgnoreCase);
        var now = gmt ? time.GetUtcNow().UtcDateTime : time.GetLocalNow().DateTime;
        return (gmt ? arguments[..^1] : arguments, now);
    }

    private static bool InRange(long start, long value, long end, bool inclusiveEnd)
    {
        var beforeEnd = inclusiveEnd ? value <= end : value < end;
        return start <= end ? start <= value && beforeEnd : start <= value || beforeEnd;
    }

    private static int IndexOf(string[] names, JsValue value) =>
        value.IsString() ? Array.FindIndex(names, name => name.Equals(value.AsString(), StringComparison.OrdinalIgnoreCase)) : -1;

    private static int? Number(JsValue value)
    {
        if (value.IsNumber() && double.IsInteger(value.AsNumber()) && value.AsNumber() is >= 0 and <= int.MaxValue)
        {
            return (int)value.AsNumber();
        }

        return value.IsString() && int.TryParse(value.AsString(), out var parsed) && parsed >= 0 ? parsed : null;
    }

    [Flags]
    private enum DateFields { None = 0, Day = 1, Month = 2, Year = 4 }

    private readonly record struct PartialDate(DateFields Fields, int Day, int Month, int Year)
    {
        /// <summary>Orders dates by the fields present: year, then month, then day.</summary>
        public long Key =>
            ((Fields.HasFlag(DateFields.Year) ? Year : 0) * 12L + (Fields.HasFlag(DateFields.Month) ? Month : 0)) * 32
            + (Fields.HasFlag(DateFields.Day) ? Day : 0);

        public static PartialDate? From(JsValue[] values)
        {
            var date = new PartialDate(DateFields.None, 0, 0, 0);
            foreach (var value in values)
            {
                var (field, updated) = Number(value) switch
                {
                    >= 1 and <= 31 and var day => (DateFields.Day, date with { Day = day }),
                    > 31 and var year => (DateFields.Year, date with { Year = year }),
                    null when IndexOf(Months, value) is >= 0 and var month => (DateFields.Month, date with { Month = month }),
                    _ => (DateFields.None, date),
                };
                if (field == DateFields.None || date.Fields.HasFlag(field))
                {
                    return null;
                }

                date = updated with { Fields = date.Fields | field };
            }

            return date;
        }
    }
}
