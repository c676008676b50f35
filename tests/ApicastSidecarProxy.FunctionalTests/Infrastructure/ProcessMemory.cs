namespace ApicastSidecarProxy.FunctionalTests.Infrastructure;

/// <summary>Memory of another process, from /proc (Linux).</summary>
public static class ProcessMemory
{
    public static long ResidentBytes(int pid) => ReadStatusKilobytes(pid, "VmRSS:") * 1024;

    /// <summary>The highest resident set size the process has had since it started (VmHWM).</summary>
    public static long PeakResidentBytes(int pid) => ReadStatusKilobytes(pid, "VmHWM:") * 1024;

    private static long ReadStatusKilobytes(int pid, string field)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith(field, StringComparison.Ordinal))
            {
                return long.Parse(line[field.Length..].Trim().Split(' ')[0]);
            }
        }

        throw new InvalidOperationException($"/proc/{pid}/status has no {field}");
    }
}
