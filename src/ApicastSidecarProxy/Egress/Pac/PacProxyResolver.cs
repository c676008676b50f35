using System.Collections.Concurrent;

namespace ApicastSidecarProxy.Egress.Pac;

/// <summary>
/// The proxy list for a destination, from the current PAC script. Answers, failures included, are cached per scheme,
/// host and port until the script changes: an evaluation is serialized and may take up to its time limit, a cache hit
/// takes no lock. The script sees only scheme://host[:port]/, never the path or query, which carry access tokens.
/// </summary>
public sealed class PacProxyResolver(IPacScript script)
{
    /// <summary>When the cache holds this many destinations it starts over.</summary>
    public const int CacheCapacity = 10_000;

    private State _state = new(script);

    public IPacScript Script => Volatile.Read(ref _state).Script;

    /// <exception cref="ProxySelectionException">The script failed for this destination, now or when first asked.</exception>
    public IReadOnlyList<ProxyChoice> Resolve(Uri destination)
    {
        var key = new Destination(destination.Scheme, destination.IdnHost, destination.Port);
        Answer? answer;
        State state;
        do
        {
            state = Volatile.Read(ref _state);
            if (state.Answers.TryGetValue(key, out answer))
            {
                break;
            }

            answer = Evaluate(state.Script, destination);
            if (state.Answers.Count >= CacheCapacity)
            {
                state.Answers.Clear();
            }

            state.Answers.TryAdd(key, answer);
        }
        // An answer of a script replaced (and dropped) meanwhile is asked again of the new one.
        while (state != Volatile.Read(ref _state));

        return answer.Choices ?? throw new ProxySelectionException(answer.Failure!);
    }

    /// <summary>Uses <paramref name="newScript"/> from now on, with an empty cache, in one step; the previous script is disposed.</summary>
    public void Replace(IPacScript newScript) => Interlocked.Exchange(ref _state, new State(newScript)).Script.Dispose();

    /// <summary>FindProxyForURL's arguments: the URL without userinfo, path or query; the host without IPv6 brackets.</summary>
    internal static (string Url, string Host) ScriptArguments(Uri destination)
    {
        // IdnHost: punycode, as browsers pass it; IPv6 without brackets, which only the URL needs.
        var host = destination.IdnHost;
        var authority = destination.HostNameType == UriHostNameType.IPv6 ? $"[{host}]" : host;
        var port = destination.IsDefaultPort ? "" : $":{destination.Port}";
        return ($"{destination.Scheme}://{authority}{port}/", host);
    }

    /// <summary>Why <paramref name="script"/> gives no proxy list for <paramref name="destination"/>, or null when it gives one.</summary>
    internal static string? FailureFor(IPacScript script, Uri destination) => Evaluate(script, destination).Failure;

    private static Answer Evaluate(IPacScript script, Uri destination)
    {
        var (url, host) = ScriptArguments(destination);
        try
        {
            return new Answer(PacResultParser.Parse(script.FindProxyForUrl(url, host)), null);
        }
        catch (ProxySelectionException e)
        {
            return new Answer(null, e.Message);
        }
    }

    private readonly record struct Destination(string Scheme, string Host, int Port);

    private sealed record Answer(IReadOnlyList<ProxyChoice>? Choices, string? Failure);

    private sealed class State(IPacScript script)
    {
        public IPacScript Script { get; } = script;

        public ConcurrentDictionary<Destination, Answer> Answers { get; } = new();
    }
}
