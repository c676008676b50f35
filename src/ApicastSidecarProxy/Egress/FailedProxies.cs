using System.Collections.Concurrent;

namespace ApicastSidecarProxy.Egress;

/// <summary>
/// The skip list: a proxy that could not be connected to is passed over for PROXY_RETRY_AFTER, so later requests go
/// straight to the next entry of their list instead of waiting for the dead one again. DIRECT is never listed.
/// </summary>
public sealed class FailedProxies(TimeSpan retryAfter, TimeProvider time)
{
    private readonly ConcurrentDictionary<Uri, long> _skippedUntil = new();
    private readonly Lock _changing = new();

    // How many proxies are listed, read on every request without a lock. ConcurrentDictionary.IsEmpty takes all the
    // dictionary's locks when it is empty, the usual case: twice per exchange, the threads spun on each other
    // (bench/RESULTS.md, "Per-exchange bookkeeping without locks"). Changed only under _changing, with the list.
    private volatile int _listed;

    public TimeSpan RetryAfter => retryAfter;

    public void MarkFailed(ProxyChoice choice)
    {
        if (choice.Proxy is { } proxy)
        {
            lock (_changing)
            {
                _skippedUntil[proxy] = time.GetTimestamp() + (long)(retryAfter.TotalSeconds * time.TimestampFrequency);
                _listed = _skippedUntil.Count;
            }
        }
    }

    /// <summary>A proxy that answered: tried first again at once (another request may have listed it meanwhile).</summary>
    public void MarkWorking(ProxyChoice choice)
    {
        if (choice.Proxy is { } proxy && _listed > 0 && _skippedUntil.ContainsKey(proxy))
        {
            lock (_changing)
            {
                _skippedUntil.TryRemove(proxy, out _);
                _listed = _skippedUntil.Count;
            }
        }
    }

    public bool IsSkipped(ProxyChoice choice) =>
        choice.Proxy is { } proxy && _skippedUntil.TryGetValue(proxy, out var until) && time.GetTimestamp() < until;

    /// <summary>
    /// The entries to try, in order: those not skipped; when every entry is skipped, the first one anyway (a request
    /// is never refused without an attempt).
    /// </summary>
    public IReadOnlyList<ProxyChoice> ToTry(IReadOnlyList<ProxyChoice> choices)
    {
        if (_listed == 0)
        {
            return choices;
        }

        var open = choices.Where(choice => !IsSkipped(choice)).ToArray();
        return open.Length > 0 ? open : [choices[0]];
    }
}
