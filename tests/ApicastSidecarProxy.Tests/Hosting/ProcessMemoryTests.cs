using ApicastSidecarProxy.TestShared;
using System.IO.MemoryMappedFiles;
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

    [Fact]
    public void PageOut_DropsTheResidentPagesOfAMappedFile()
    {
        const int Size = 4 << 20;
        var path = Path.Combine(Path.GetTempPath(), $"pageout-{Guid.NewGuid():N}");
        File.WriteAllBytes(path, Enumerable.Repeat((byte)1, Size).ToArray());
        try
        {
            using (var file = MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, 0, MemoryMappedFileAccess.Read))
            using (var view = file.CreateViewAccessor(0, Size, MemoryMappedFileAccess.Read))
            {
                long sum = 0;
                for (var offset = 0; offset < Size; offset += Environment.SystemPageSize)
                {
                    sum += view.ReadByte(offset);
                }

                Assert.Equal(Size / Environment.SystemPageSize, sum); // every page read
                Assert.True(ResidentKib(path) >= 4000, $"resident before: {ResidentKib(path)} KiB");

                Assert.True(ExecutablePages.PageOut(path) >= Size);

                Assert.True(ResidentKib(path) < 1024, $"resident after: {ResidentKib(path)} KiB");
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void AfterPageOut_OnlyThePagesTouchedComeBack()
    {
        const int Size = 4 << 20, Stride = 256 << 10;
        var path = Path.Combine(Path.GetTempPath(), $"pageout-{Guid.NewGuid():N}");
        using (var stream = new FileStream(path, FileMode.CreateNew))
        {
            stream.Write(Enumerable.Repeat((byte)1, Size).ToArray());
            stream.Flush(flushToDisk: true); // clean pages: the kernel can evict them from the page cache
        }

        try
        {
            using var file = MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, 0, MemoryMappedFileAccess.Read);
            using var view = file.CreateViewAccessor(0, Size, MemoryMappedFileAccess.Read);
            for (var offset = 0; offset < Size; offset += Environment.SystemPageSize)
            {
                view.ReadByte(offset);
            }

            ExecutablePages.PageOut(path);
            for (var offset = 0; offset < Size; offset += Stride)
            {
                view.ReadByte(offset);
            }

            // 16 pages touched, 64 KiB: read-ahead and fault-around would bring back 64 KiB or more around each (1 MiB).
            Assert.True(ResidentKib(path) <= 256, $"resident after 16 reads: {ResidentKib(path)} KiB");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void PageOut_OfAFileNotMapped_DoesNothing()
    {
        Assert.Equal(0, ExecutablePages.PageOut("/nonexistent/file"));
    }

    private static long ResidentKib(string path) => ResidentMemory.OfFileKib("/proc/self/smaps", path);
}
