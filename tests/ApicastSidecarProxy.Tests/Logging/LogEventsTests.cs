using System.Reflection;
using ApicastSidecarProxy.Logging;

namespace ApicastSidecarProxy.Tests.Logging;

public class LogEventsTests
{
    [Fact]
    public void EveryEventId_IsUsedOnce()
    {
        var ids = typeof(LogEvents).GetFields(BindingFlags.Public | BindingFlags.Static).Select(field => (int)field.GetValue(null)!).ToList();

        Assert.Equal(ids.Count, ids.Distinct().Count());
    }
}
