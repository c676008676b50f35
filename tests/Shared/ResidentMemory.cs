using System.Globalization;

namespace ApicastSidecarProxy.TestShared;

/// <summary>
/// What a process holds resident of one mapped file, from its smaps. Compiled into the unit and the functional tests
/// (a linked file: neither project references the other).
/// </summary>
internal static class ResidentMemory
{
    /// <summary>The Rss, in KiB, of every mapping of <paramref name="path"/> in <paramref name="smaps"/> (e.g. /proc/self/smaps).</summary>
    public static long OfFileKib(string smaps, string path)
    {
        long total = 0;
        var inFile = false;
        foreach (var line in File.ReadLines(smaps))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length > 0 && fields[0].Contains('-') && !fields[0].EndsWith(':'))
            {
                inFile = line.EndsWith(" " + path, StringComparison.Ordinal);
            }
            else if (inFile && fields is ["Rss:", var kib, "kB"])
            {
                total += long.Parse(kib, CultureInfo.InvariantCulture);
            }
        }

        return total;
    }
}
