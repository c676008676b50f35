using ApicastSidecarProxy.Hosting;

namespace ApicastSidecarProxy.Tests.Hosting;

public class FileMappingsTests
{
    private const string Maps = """
        55d0c0000000-55d0c0400000 r--p 00000000 fe:01 1234   /app/apicast-sidecar-proxy
        55d0c0400000-55d0c0c00000 r-xp 00400000 fe:01 1234   /app/apicast-sidecar-proxy
        55d0c0c00000-55d0c0e00000 rw-p 00c00000 fe:01 1234   /app/apicast-sidecar-proxy
        55d0c0e00000-55d0c0e01000 r--p 00e00000 fe:01 1234   /app/apicast-sidecar-proxy-old
        7f0000000000-7f0000100000 rw-p 00000000 00:00 0
        7f0000100000-7f0000200000 r-xp 00000000 fe:01 99     /usr/lib/x86_64-linux-gnu/libc.so.6
        7f0000200000-7f0000300000 r--s 00000000 fe:01 77     /tmp/a file with spaces
        """;

    [Fact]
    public void ReadOnly_ListsTheFilesMappingsThatAreNotWritable()
    {
        var mappings = FileMappings.ReadOnly(Maps, "/app/apicast-sidecar-proxy");

        Assert.Equal([(0x55d0c0000000UL, 0x400000UL), (0x55d0c0400000UL, 0x800000UL)], AsNumbers(mappings));
    }

    [Fact]
    public void ReadOnly_MatchesAPathWithSpaces_AndShared()
    {
        Assert.Equal([(0x7f0000200000UL, 0x100000UL)], AsNumbers(FileMappings.ReadOnly(Maps, "/tmp/a file with spaces")));
    }

    [Fact]
    public void ReadOnly_OfAFileNotMapped_OrOfGarbage_IsEmpty()
    {
        Assert.Empty(FileMappings.ReadOnly(Maps, "/app/other"));
        Assert.Empty(FileMappings.ReadOnly("zz-yy r--p 0 0:0 1 /app/x\nnonsense\n\n", "/app/x"));
    }

    private static List<(ulong, ulong)> AsNumbers(IReadOnlyList<(nuint Start, nuint Length)> mappings) =>
        mappings.Select(m => ((ulong)m.Start, (ulong)m.Length)).ToList();
}
