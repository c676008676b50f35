using System.IO.Pipes;
using System.Text;
using ApicastSidecarProxy.Egress.Pac;
using ApicastSidecarProxy.PacEngine;
using ApicastSidecarProxy.Tests.PacEngine;

namespace ApicastSidecarProxy.Tests.Egress.Pac;

/// <summary>
/// The sidecar's PAC engine client wired to the engine's server on a thread of this process, over operating-system
/// pipes as with the real process: the whole wire format, without a process to start.
/// </summary>
internal static class InMemoryPacEngine
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    public static PacScriptSourceOptions Options => new() { Engine = Create() };

    public static PacEngineClient Create(PacScriptOptions? options = null) => new(() => Connect(options ?? PacTestScripts.Options));

    public static IPacScript Compile(string text) => Create().Compile(text);

    /// <summary>A connection to <paramref name="serve"/>, which reads the requests and writes the replies on its own thread.</summary>
    public static PacEngineConnection Connect(Action<TextReader, TextWriter> serve)
    {
        var requestsOut = new AnonymousPipeServerStream(PipeDirection.Out);
        var requestsIn = new AnonymousPipeClientStream(PipeDirection.In, requestsOut.ClientSafePipeHandle);
        var repliesOut = new AnonymousPipeServerStream(PipeDirection.Out);
        var repliesIn = new AnonymousPipeClientStream(PipeDirection.In, repliesOut.ClientSafePipeHandle);
        var engineReplies = new StreamWriter(repliesOut, Utf8);
        var running = true;
        var thread = new Thread(() =>
        {
            try
            {
                serve(new StreamReader(requestsIn, Utf8), engineReplies);
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException)
            {
                // Stopped while answering.
            }
            finally
            {
                // As a process's exit closes its standard output.
                Volatile.Write(ref running, false);
                repliesOut.Dispose();
            }
        }) { IsBackground = true, Name = "in-memory PAC engine" };
        thread.Start();
        return new PacEngineConnection(new StreamWriter(requestsOut, Utf8), new StreamReader(repliesIn, Utf8),
            () => Volatile.Read(ref running),
            () =>
            {
                // Closing the write ends ends both sides' reads, as a stopped process would.
                requestsOut.Dispose();
                repliesOut.Dispose();
            });
    }

    private static PacEngineConnection Connect(PacScriptOptions options) =>
        Connect((requests, replies) => new PacEngineServer(options).Run(requests, replies));
}
