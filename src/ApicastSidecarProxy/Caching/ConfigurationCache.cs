using System.Collections.Concurrent;
using ApicastSidecarProxy.Configuration;

namespace ApicastSidecarProxy.Caching;

/// <summary>
/// The last good configuration answers of the portal, by <see cref="AnswerKey"/>: in memory, and sealed on disk when
/// CONFIG_CACHE_DIR is set. Lookups take no lock; stores take a short one (never across a network call). The oldest
/// answers make room under CONFIG_CACHE_MAX_BYTES; an answer older than CONFIG_CACHE_MAX_STALE is never returned.
/// </summary>
public sealed class ConfigurationCache
{
    /// <summary>An unchanged answer refreshes its time in memory at once, and on disk at most this often.</summary>
    public static readonly TimeSpan DiskRefreshInterval = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _recording = new(StringComparer.Ordinal);
    private readonly AnswerKeyDerivation _keys = new();
    private readonly DiskAnswerStore? _disk;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private long _bytes;
    private long _staleAnswersServed;
    private long _lastStaleAnswerTicks;
    private long _unreadableEntries;
    private long _answersStored;

    public ConfigurationCache(ConfigCacheOptions options, TimeProvider time)
    {
        Options = options;
        _time = time;
        _disk = options.Directory is { } directory ? new DiskAnswerStore(directory, options.MaxBytes, options.MaxStale, time) : null;
    }

    public ConfigCacheOptions Options { get; }

    /// <summary>Stale answers served instead of a failure.</summary>
    public long StaleAnswersServed => Interlocked.Read(ref _staleAnswersServed);

    /// <summary>When the last stale answer was served; null before the first.</summary>
    public DateTimeOffset? LastStaleAnswerAt => Interlocked.Read(ref _lastStaleAnswerTicks) is var ticks and > 0
        ? new DateTimeOffset(ticks, TimeSpan.Zero)
        : null;

    /// <summary>Entries on disk that could not be read or opened (corrupt, truncated, or sealed with another key): ignored.</summary>
    public long UnreadableEntries => Interlocked.Read(ref _unreadableEntries);

    /// <summary>Answers stored or replaced (an unchanged answer only refreshes its time and is not counted).</summary>
    public long AnswersStored => Interlocked.Read(ref _answersStored);

    public int Count => _entries.Count;

    public long Bytes => Interlocked.Read(ref _bytes);

    public AnswerKey KeyFor(string credentials, string target, string acceptEncoding) =>
        _keys.For(credentials, target, acceptEncoding);

    /// <summary>A stored answer that may still be served, from memory or else from disk; null when there is none.</summary>
    public StoredAnswer? Find(AnswerKey key)
    {
        var now = _time.GetUtcNow();
        if (_entries.TryGetValue(key.Id, out var entry))
        {
            if (now - entry.Answer.StoredAt <= Options.MaxStale)
            {
                return entry.Answer;
            }

            Forget(key);
            return null;
        }

        if (_disk?.Read(key.Id) is not { } sealedBytes)
        {
            return null;
        }

        if (AnswerEnvelope.Open(sealedBytes, key) is not { } answer)
        {
            Interlocked.Increment(ref _unreadableEntries);
            return null;
        }

        if (now - answer.StoredAt > Options.MaxStale)
        {
            _disk.Delete(key.Id);
            return null;
        }

        lock (_lock)
        {
            Put(key.Id, new Entry(answer, answer.StoredAt));
        }

        return answer;
    }

    /// <summary>The answer in memory for <paramref name="key"/>, fresh or not: what a new answer is compared with.</summary>
    public StoredAnswer? InMemory(AnswerKey key) => _entries.TryGetValue(key.Id, out var entry) ? entry.Answer : null;

    /// <summary>
    /// Claims the recording of the answer for <paramref name="key"/>; false while another request records it (many
    /// APIcast workers asking for the same page at once hold one copy, not one each). Release with <see cref="EndRecording"/>.
    /// </summary>
    public bool TryBeginRecording(AnswerKey key) => _recording.TryAdd(key.Id, 0);

    public void EndRecording(AnswerKey key) => _recording.TryRemove(key.Id, out _);

    /// <summary>
    /// Keeps a new (or changed) complete 200 answer, replacing the previous one in memory and on disk. An answer over
    /// CONFIG_CACHE_MAX_ENTRY_BYTES is not kept, and the previous one is dropped: it is no longer the last good answer.
    /// </summary>
    public void Store(AnswerKey key, IReadOnlyList<KeyValuePair<string, string>> headers, byte[] body)
    {
        var answer = new StoredAnswer(headers, body, _time.GetUtcNow());
        if (answer.Size > Options.MaxEntryBytes)
        {
            Forget(key);
            return;
        }

        lock (_lock)
        {
            Put(key.Id, new Entry(answer, answer.StoredAt));
        }

        _disk?.Write(key.Id, AnswerEnvelope.Seal(answer, key));
        Interlocked.Increment(ref _answersStored);
    }

    /// <summary>The portal sent <paramref name="previous"/> again, byte for byte: it counts as received now.</summary>
    public void Confirm(AnswerKey key, StoredAnswer previous)
    {
        var now = _time.GetUtcNow();
        var refreshed = previous with { StoredAt = now };
        bool persist;
        lock (_lock)
        {
            if (!_entries.TryGetValue(key.Id, out var entry) || !ReferenceEquals(entry.Answer, previous))
            {
                return; // replaced or evicted meanwhile: the newer state stands
            }

            persist = _disk is not null && now - entry.PersistedAt >= DiskRefreshInterval;
            _entries[key.Id] = new Entry(refreshed, persist ? now : entry.PersistedAt);
        }

        if (persist)
        {
            _disk!.Write(key.Id, AnswerEnvelope.Seal(refreshed, key));
        }
    }

    public void StaleAnswerServed()
    {
        Interlocked.Increment(ref _staleAnswersServed);
        Interlocked.Exchange(ref _lastStaleAnswerTicks, _time.GetUtcNow().UtcTicks);
    }

    public TimeSpan AgeOf(StoredAnswer answer) => _time.GetUtcNow() - answer.StoredAt;

    /// <summary>Drops the answer kept for <paramref name="key"/>, in memory and on disk.</summary>
    public void Forget(AnswerKey key)
    {
        lock (_lock)
        {
            if (_entries.TryRemove(key.Id, out var removed))
            {
                Interlocked.Add(ref _bytes, -removed.Answer.Size);
            }
        }

        _disk?.Delete(key.Id);
    }

    // Under _lock.
    private void Put(string id, Entry entry)
    {
        var size = entry.Answer.Size;
        if (_entries.TryGetValue(id, out var old))
        {
            Interlocked.Add(ref _bytes, -old.Answer.Size);
        }

        if (_bytes + size > Options.MaxBytes)
        {
            foreach (var (oldestId, oldest) in _entries.Where(e => e.Key != id).OrderBy(e => e.Value.Answer.StoredAt).ToList())
            {
                _entries.TryRemove(oldestId, out _);
                if (Interlocked.Add(ref _bytes, -oldest.Answer.Size) + size <= Options.MaxBytes)
                {
                    break;
                }
            }
        }

        _entries[id] = entry;
        Interlocked.Add(ref _bytes, size);
    }

    /// <param name="PersistedAt">When the disk copy was last written, so an unchanged answer is rewritten only now and then.</param>
    private sealed record Entry(StoredAnswer Answer, DateTimeOffset PersistedAt);
}
