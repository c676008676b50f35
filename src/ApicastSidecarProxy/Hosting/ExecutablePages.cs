using System.Runtime.InteropServices;

namespace ApicastSidecarProxy.Hosting;

/// <summary>
/// The resident pages of the process's own executable file. Compiled into both executables, the sidecar and its PAC
/// engine (apicast-sidecar-pac).
/// </summary>
internal static partial class ExecutablePages
{
    /// <summary>
    /// Asks the kernel to drop the resident pages of the process's own executable (madvise MADV_PAGEOUT), once the work
    /// that ran code only once is done: the sidecar's start-up (configuration, dependency injection, Kestrel's and YARP's
    /// set-up), a PAC script's compile. What runs later is read back in on first use, from the page cache or the file
    /// (bench/RESULTS.md, "Start-up code paged out"). Clean file pages, which the kernel would reclaim under memory
    /// pressure anyway: nothing is lost. Does nothing where the kernel lacks MADV_PAGEOUT (before Linux 5.4), and for
    /// a file the process neither owns nor may write (the kernel's rule): the image's binaries belong to its user.
    /// </summary>
    public static void Release()
    {
        if (new FileInfo("/proc/self/exe").LinkTarget is { } executable)
        {
            PageOut(executable);
        }
    }

    /// <summary>
    /// Drops the resident pages of every read-only mapping of <paramref name="path"/>, and from then on reads back only
    /// the pages touched (madvise MADV_RANDOM: no read-ahead around each page fault; the code a request runs is spread
    /// over the whole binary, and read-ahead brought back 10-11 MiB of it under load where 8 are used). Returns the
    /// total length of the mappings paged out.
    /// </summary>
    public static long PageOut(string path)
    {
        string maps;
        try
        {
            maps = File.ReadAllText("/proc/self/maps");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return 0; // no /proc: nothing to drop
        }

        long advised = 0;
        foreach (var (start, length) in FileMappings.ReadOnly(maps, path))
        {
            if (Madvise(start, length, MadvisePageOut) == 0)
            {
                advised += (long)length;
                Madvise(start, length, MadviseRandom);
            }
        }

        return advised;
    }

    private const int MadviseRandom = 1;
    private const int MadvisePageOut = 21;

    [LibraryImport("libc", EntryPoint = "madvise")]
    private static partial int Madvise(nuint address, nuint length, int advice);
}
