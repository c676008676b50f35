using ApicastSidecarProxy.PacEngine.Protocol;

namespace ApicastSidecarProxy.Egress.Pac;

/// <summary>
/// The sidecar's side of the PAC engine (apicast-sidecar-pac, <see cref="PacEngineProcess"/>), which runs the scripts
/// in a process of its own, so that a sidecar without PROXY_PAC never carries a JavaScript interpreter. Exchanges take
/// turns (the resolver caches their answers). An engine that does not answer in time is stopped; one that stopped is
/// started again at the next exchange, and the scripts still in use are compiled in it again.
/// </summary>
/// <param name="start">Starts an engine (<see cref="PacEngineProcess.Start()"/>).</param>
/// <param name="replyTimeout">The longest wait for a reply; the default, 10 s, covers an evaluation's own limit (2 s),
/// the DNS look-ups it may be in (1 s each), and a busy machine.</param>
/// <param name="startTimeout">The longest wait for the first reply of a new engine, which includes its start; 20 s by default.</param>
public sealed class PacEngineClient(Func<PacEngineConnection> start, TimeSpan? replyTimeout = null, TimeSpan? startTimeout = null)
    : IPacEngine, IDisposable
{
    private readonly TimeSpan _replyTimeout = replyTimeout ?? TimeSpan.FromSeconds(10);
    private readonly TimeSpan _startTimeout = startTimeout ?? TimeSpan.FromSeconds(20);

    private readonly Lock _exchange = new();
    private readonly Dictionary<string, string> _scripts = [];
    private PacEngineConnection? _engine;
    private int _lastId;
    private bool _disposed;

    public IPacScript Compile(string text)
    {
        lock (_exchange)
        {
            var id = (++_lastId).ToString(System.Globalization.CultureInfo.InvariantCulture);
            try
            {
                Expect(PacEngineMessage.Ok, Exchange(PacEngineMessage.Format(PacEngineMessage.Compile, id, text)), reason => new PacScriptException(reason));
            }
            catch (PacEngineException e)
            {
                throw new PacScriptException($"the PAC engine {e.Message}");
            }

            _scripts[id] = text;
            return new Script(this, id);
        }
    }

    public void Dispose()
    {
        lock (_exchange)
        {
            _disposed = true;
            _scripts.Clear();
            Stop();
        }
    }

    private string FindProxyForUrl(string id, string url, string host)
    {
        lock (_exchange)
        {
            try
            {
                return Expect(PacEngineMessage.Ok, Exchange(PacEngineMessage.Format(PacEngineMessage.Find, id, url, host)),
                    reason => new ProxySelectionException(reason));
            }
            catch (PacEngineException e)
            {
                throw new ProxySelectionException($"the PAC engine {e.Message}");
            }
        }
    }

    private void Drop(string id)
    {
        lock (_exchange)
        {
            if (!_scripts.Remove(id) || _engine is not { IsRunning: true })
            {
                return;
            }

            try
            {
                Exchange(PacEngineMessage.Format(PacEngineMessage.Drop, id));
            }
            catch (PacEngineException)
            {
                // A stopped engine holds no script; the next exchange starts a new one.
            }
        }
    }

    /// <summary>The reply's argument when its verb is <paramref name="verb"/>; the reason of an error reply, thrown.</summary>
    private string Expect(string verb, (string Verb, string[] Arguments) reply, Func<string, Exception> failure)
    {
        switch (reply)
        {
            case var (v, arguments) when v == verb:
                return arguments.Length > 0 ? arguments[0] : "";
            case (PacEngineMessage.Error, [var reason]):
                throw failure(reason);
            default:
                Stop();
                throw new PacEngineException("answered out of turn and was stopped");
        }
    }

    /// <exception cref="PacEngineException">The engine could not be started, stopped, or did not answer in time.</exception>
    private (string Verb, string[] Arguments) Exchange(string request)
    {
        if (_disposed)
        {
            throw new PacEngineException("is shut down (the sidecar is stopping)");
        }

        if (_engine is not { IsRunning: true })
        {
            Stop();
            _engine = Start();
        }

        return Send(_engine, request);
    }

    /// <summary>A new engine, with every script still in use compiled in it again.</summary>
    private PacEngineConnection Start()
    {
        var engine = start();
        try
        {
            foreach (var (id, text) in _scripts)
            {
                // A script that compiled once compiles again; should it not, its evaluations get the engine's error.
                Send(engine, PacEngineMessage.Format(PacEngineMessage.Compile, id, text));
            }

            return engine;
        }
        catch
        {
            engine.Dispose();
            throw;
        }
    }

    private (string Verb, string[] Arguments) Send(PacEngineConnection engine, string request)
    {
        var timeout = engine.Exchanges++ == 0 ? _startTimeout : _replyTimeout;
        var timedOut = false;
        string? reply;
        // A pending read on a pipe cannot be cancelled; stopping the engine ends it.
        using (new Timer(_ => { Volatile.Write(ref timedOut, true); engine.Dispose(); }, null, timeout, Timeout.InfiniteTimeSpan))
        {
            try
            {
                engine.Requests.WriteLine(request);
                engine.Requests.Flush();
                reply = engine.Replies.ReadLine();
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException)
            {
                reply = null;
            }
        }

        if (reply is not null && PacEngineMessage.TryParse(reply, out var verb, out var arguments))
        {
            return (verb, arguments);
        }

        engine.Dispose();
        throw new PacEngineException(Volatile.Read(ref timedOut)
            ? $"did not answer within {timeout.TotalSeconds:0.###} s and was stopped"
            : reply is null ? "stopped unexpectedly" : "answered with a malformed reply and was stopped");
    }

    private void Stop()
    {
        _engine?.Dispose();
        _engine = null;
    }

    private sealed class Script(PacEngineClient engine, string id) : IPacScript
    {
        private int _disposed;

        public string FindProxyForUrl(string url, string host) => Volatile.Read(ref _disposed) == 0
            ? engine.FindProxyForUrl(id, url, host)
            : throw new ProxySelectionException("the PAC script was replaced");

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                engine.Drop(id);
            }
        }
    }
}
