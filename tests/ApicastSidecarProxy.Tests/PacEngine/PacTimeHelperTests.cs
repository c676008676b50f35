using ApicastSidecarProxy.PacEngine;
using Microsoft.Extensions.Time.Testing;

namespace ApicastSidecarProxy.Tests.PacEngine;

public class PacTimeHelperTests
{
    private static string Evaluate(string expression, DateTimeOffset utcNow, TimeSpan? localOffset = null)
    {
        var time = new FakeTimeProvider(utcNow);
        time.SetLocalTimeZone(TimeZoneInfo.CreateCustomTimeZone("test", localOffset ?? TimeSpan.Zero, "test", "test"));
        return PacTestScripts.Evaluate(expression, PacTestScripts.Options with { Time = time });
    }

    // Wednesday 12 June 2024, 14:30:15 UTC.
    private static readonly DateTimeOffset Wednesday = new(2024, 6, 12, 14, 30, 15, TimeSpan.Zero);

    [Theory]
    [InlineData("weekdayRange('WED')", "true")]
    [InlineData("weekdayRange('THU')", "false")]
    [InlineData("weekdayRange('MON', 'FRI')", "true")]
    [InlineData("weekdayRange('THU', 'SAT')", "false")]
    [InlineData("weekdayRange('FRI', 'WED')", "true")]
    [InlineData("weekdayRange('SAT', 'TUE')", "false")]
    [InlineData("weekdayRange('wed')", "true")]
    [InlineData("weekdayRange('WED', 'GMT')", "true")]
    [InlineData("weekdayRange('XYZ')", "false")]
    [InlineData("weekdayRange()", "false")]
    public void WeekdayRange_IsInclusiveAndWrapsAround(string expression, string expected)
    {
        Assert.Equal(expected, Evaluate(expression, Wednesday));
    }

    [Theory]
    [InlineData("weekdayRange('THU')", "true")]
    [InlineData("weekdayRange('WED', 'GMT')", "true")]
    [InlineData("timeRange(0)", "true")]
    [InlineData("timeRange(14, 'GMT')", "true")]
    [InlineData("dateRange(13)", "true")]
    [InlineData("dateRange(12, 'GMT')", "true")]
    public void LocalTime_IsUsedUnlessGmt(string expression, string expected)
    {
        // 14:30 UTC is 00:30 on Thursday at UTC+10.
        Assert.Equal(expected, Evaluate(expression, Wednesday, TimeSpan.FromHours(10)));
    }

    [Theory]
    [InlineData("timeRange(14)", "true")]
    [InlineData("timeRange(15)", "false")]
    [InlineData("timeRange(9, 17)", "true")]
    [InlineData("timeRange(14, 15)", "true")]
    [InlineData("timeRange(15, 17)", "false")]
    [InlineData("timeRange(9, 14)", "false")]
    [InlineData("timeRange(22, 6)", "false")]
    [InlineData("timeRange(12, 2)", "true")]
    [InlineData("timeRange(14, 30, 14, 31)", "true")]
    [InlineData("timeRange(14, 31, 15, 0)", "false")]
    [InlineData("timeRange(14, 30, 15, 14, 30, 16)", "true")]
    [InlineData("timeRange(14, 30, 16, 14, 30, 20)", "false")]
    [InlineData("timeRange('14', '15')", "true")]
    [InlineData("timeRange(14, 15, 'GMT')", "true")]
    [InlineData("timeRange(1, 2, 3)", "false")]
    [InlineData("timeRange('noon')", "false")]
    [InlineData("timeRange()", "false")]
    public void TimeRange_IsHalfOpenAndWrapsAround(string expression, string expected)
    {
        Assert.Equal(expected, Evaluate(expression, Wednesday));
    }

    [Theory]
    [InlineData("dateRange(12)", "true")]
    [InlineData("dateRange(13)", "false")]
    [InlineData("dateRange('JUN')", "true")]
    [InlineData("dateRange('JUL')", "false")]
    [InlineData("dateRange(2024)", "true")]
    [InlineData("dateRange(2023)", "false")]
    [InlineData("dateRange(1, 15)", "true")]
    [InlineData("dateRange(13, 31)", "false")]
    [InlineData("dateRange(25, 12)", "true")]
    [InlineData("dateRange('MAY', 'JUL')", "true")]
    [InlineData("dateRange('NOV', 'FEB')", "false")]
    [InlineData("dateRange('NOV', 'JUN')", "true")]
    [InlineData("dateRange(2020, 2024)", "true")]
    [InlineData("dateRange(2025, 2030)", "false")]
    [InlineData("dateRange(1, 'JUN', 12, 'JUN')", "true")]
    [InlineData("dateRange(13, 'JUN', 1, 'AUG')", "false")]
    [InlineData("dateRange('JUN', 2024, 'DEC', 2024)", "true")]
    [InlineData("dateRange('JAN', 2025, 'DEC', 2025)", "false")]
    [InlineData("dateRange(12, 'JUN', 2024, 12, 'JUN', 2024)", "true")]
    [InlineData("dateRange(1, 'JAN', 2023, 11, 'JUN', 2024)", "false")]
    [InlineData("dateRange('JUN', 'GMT')", "true")]
    [InlineData("dateRange(1, 'JUN')", "false")]
    [InlineData("dateRange(1, 'JUN', 'JUL', 2)", "true")]
    [InlineData("dateRange('XYZ')", "false")]
    [InlineData("dateRange(1, 2, 3)", "false")]
    [InlineData("dateRange()", "false")]
    public void DateRange_ComparesTheFieldsGiven(string expression, string expected)
    {
        Assert.Equal(expected, Evaluate(expression, Wednesday));
    }
}
