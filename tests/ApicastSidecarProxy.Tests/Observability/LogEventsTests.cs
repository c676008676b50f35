using System.Reflection;
using ApicastSidecarProxy.Observability;

namespace ApicastSidecarProxy.Tests.Observability;

public class LogEventsTests
{
    [Fact]
    public void EveryEventId_IsUsedOnce()
    {
        var ids = typeof(LogEvents).GetFields(BindingFlags.Public | BindingFlags.Static).Select(field => (int)field.GetValue(null)!).ToList();

        Assert.Equal(ids.Count, ids.Distinct().Count());
    }
}
