namespace ApicastSidecarProxy.Egress.Pac;

/// <summary>
/// A running PAC engine: where requests go, where replies come from, whether it still runs, and how to stop it (which
/// must end a pending read of <see cref="Replies"/>). Disposing stops it, once.
/// </summary>
public sealed class PacEngineConnection(TextWriter requests, TextReader replies, Func<bool> isRunning, Action stop) : IDisposable
{
    private int _stopped;

    public TextWriter Requests { get; } = requests;

    public TextReader Replies { get; } = replies;

    /// <summary>How many requests were sent; the first reply may take longer (the engine starts).</summary>
    internal int Exchanges { get; set; }

    public bool IsRunning => Volatile.Read(ref _stopped) == 0 && isRunning();

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 0)
        {
            stop();
        }
    }
}
