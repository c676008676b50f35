using ApicastSidecarProxy.Hosting;

namespace ApicastSidecarProxy.Tests.Hosting;

public class ProcessMemoryTests
{
    [Fact]
    public void Release_CollectsEveryGeneration_AndTheNativeTrimDoesNotThrow()
    {
        var before = GC.CollectionCount(2);

        ProcessMemory.Release();

        Assert.True(GC.CollectionCount(2) > before);
    }
}
