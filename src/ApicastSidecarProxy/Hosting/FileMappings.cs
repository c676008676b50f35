using System.Globalization;

namespace ApicastSidecarProxy.Hosting;

/// <summary>The read-only mappings of one file in the process's memory map (the text of /proc/self/maps).</summary>
internal static class FileMappings
{
    /// <summary>Start address and length of each mapping of <paramref name="path"/> that is not writable.</summary>
    public static IReadOnlyList<(nuint Start, nuint Length)> ReadOnly(string maps, string path)
    {
        var mappings = new List<(nuint, nuint)>();
        foreach (var line in maps.Split('\n'))
        {
            // "start-end perms offset dev inode path"; the path may contain spaces, and is last.
            var fields = line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 6 || fields[5] != path || fields[1].Length < 2 || fields[1][1] != '-')
            {
                continue;
            }

            var range = fields[0].Split('-');
            if (range.Length == 2
                && nuint.TryParse(range[0], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var start)
                && nuint.TryParse(range[1], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var end)
                && end > start)
            {
                mappings.Add((start, end - start));
            }
        }

        return mappings;
    }
}
