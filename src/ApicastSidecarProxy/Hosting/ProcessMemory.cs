using System.Runtime.InteropServices;

namespace ApicastSidecarProxy.Hosting;

/// <summary>Gives the memory the process no longer uses back to the system.</summary>
public static partial class ProcessMemory
{
    private static bool _mallocTrim = true;

    /// <summary>
    /// A full, compacting collection in the Aggressive mode, which also decommits the free regions (after an ordinary
    /// one the young generation's region stays committed and touched: 4 MiB resident, by the baked GCgen0size), then
    /// glibc's malloc_trim, which returns the free pages inside its arenas, where OpenSSL's memory of closed TLS
    /// connections stays otherwise. A pause of 5-17 ms; only ever called when the sidecar is quiet.
    /// </summary>
    public static void Release()
    {
        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        if (_mallocTrim)
        {
            try
            {
                MallocTrim(0);
            }
            catch (EntryPointNotFoundException)
            {
                _mallocTrim = false; // musl (the linux-musl builds) has no malloc_trim
            }
        }
    }

    [LibraryImport("libc", EntryPoint = "malloc_trim")]
    private static partial int MallocTrim(nuint pad);
}
