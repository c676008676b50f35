namespace ApicastSidecarProxy.Caching;

/// <summary>
/// Sealed answers as files in a private subdirectory of CONFIG_CACHE_DIR ("v1", mode 0700; files 0600), each replaced
/// atomically (written beside, then renamed over). Keeps the total under a byte budget by removing the oldest files;
/// files older than the longest allowed staleness are removed at start.
/// </summary>
public sealed class DiskAnswerStore
{
    public const string SubdirectoryName = "v1";
    private const string Extension = ".entry";
    private const UnixFileMode PrivateDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode PrivateFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private readonly string _directory;
    private readonly long _maxBytes;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, (long Size, DateTimeOffset WrittenAt)> _files = new(StringComparer.Ordinal);
    private long _bytes;

    /// <param name="cacheDirectory">CONFIG_CACHE_DIR, which exists and is writable (checked with the configuration).</param>
    public DiskAnswerStore(string cacheDirectory, long maxBytes, TimeSpan maxAge, TimeProvider time)
    {
        _directory = Path.Combine(cacheDirectory, SubdirectoryName);
        _maxBytes = maxBytes;
        _time = time;
        Directory.CreateDirectory(_directory, PrivateDirectory);
        File.SetUnixFileMode(_directory, PrivateDirectory); // in case an earlier run or the operator widened it
        var oldest = time.GetUtcNow() - maxAge;
        foreach (var file in new DirectoryInfo(_directory).EnumerateFiles())
        {
            if (file.Extension != Extension || file.LastWriteTimeUtc < oldest.UtcDateTime)
            {
                TryDelete(file.FullName); // expired, or a temporary file a crash left behind
                continue;
            }

            _files[Path.GetFileNameWithoutExtension(file.Name)] = (file.Length, file.LastWriteTimeUtc);
            _bytes += file.Length;
        }
    }

    public string DirectoryPath => _directory;

    /// <summary>The sealed bytes of the entry <paramref name="id"/>, or null when there is none or it cannot be read.</summary>
    public byte[]? Read(string id)
    {
        try
        {
            return File.ReadAllBytes(PathOf(id));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Writes (or replaces) the entry; false when the disk refused it (full, read-only): the memory copy remains.</summary>
    public bool Write(string id, byte[] sealedBytes)
    {
        var temporary = Path.Combine(_directory, $".{id}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var file = new FileStream(temporary, new FileStreamOptions
                   {
                       Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = PrivateFile,
                   }))
            {
                file.Write(sealedBytes);
            }

            lock (_lock)
            {
                MakeRoom(id, sealedBytes.Length);
                File.Move(temporary, PathOf(id), overwrite: true);
                Account(id, sealedBytes.Length);
            }

            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(temporary);
            return false;
        }
    }

    public void Delete(string id)
    {
        lock (_lock)
        {
            TryDelete(PathOf(id));
            Account(id, null);
        }
    }

    private void MakeRoom(string id, long size)
    {
        var needed = _bytes - (_files.TryGetValue(id, out var existing) ? existing.Size : 0) + size - _maxBytes;
        foreach (var (oldId, old) in _files.Where(f => f.Key != id).OrderBy(f => f.Value.WrittenAt).ToList())
        {
            if (needed <= 0)
            {
                return;
            }

            TryDelete(PathOf(oldId));
            Account(oldId, null);
            needed -= old.Size;
        }
    }

    private void Account(string id, long? size)
    {
        if (_files.Remove(id, out var old))
        {
            _bytes -= old.Size;
        }

        if (size is { } added)
        {
            _files[id] = (added, _time.GetUtcNow());
            _bytes += added;
        }
    }

    private string PathOf(string id) => Path.Combine(_directory, id + Extension);

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Left for the next start's clean-up; never worth failing a request.
        }
    }
}
