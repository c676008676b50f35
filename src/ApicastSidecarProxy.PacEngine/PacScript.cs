using Acornima;
using Jint;
using Jint.Native;
using Jint.Native.Function;

namespace ApicastSidecarProxy.PacEngine;

/// <summary>
/// A compiled PAC script in its own sandboxed engine: no CLR access, and every evaluation (the top-level code once, then
/// each FindProxyForURL call) bounded in time, statements, recursion and memory. Jint's engine is not thread-safe, so
/// evaluations take turns; the sidecar caches the answers (its PacProxyResolver).
/// </summary>
public sealed class PacScript : IDisposable
{
    private readonly Engine _engine;
    private readonly Function _findProxyForUrl;
    private readonly PacScriptOptions _options;
    private readonly Lock _evaluation = new();

    private PacScript(Engine engine, Function findProxyForUrl, PacScriptOptions options)
    {
        _engine = engine;
        _findProxyForUrl = findProxyForUrl;
        _options = options;
    }

    /// <summary>Parses <paramref name="text"/> and runs its top-level code.</summary>
    /// <exception cref="PacScriptException">A syntax error, a failure of the top-level code, or no FindProxyForURL.</exception>
    public static PacScript Compile(string text, PacScriptOptions? options = null)
    {
        options ??= PacScriptOptions.Default;
        var script = Parse(text);
        var engine = new Engine(settings => settings
            .TimeoutInterval(options.Timeout)
            .MaxStatements(options.MaxStatements)
            .LimitRecursion(options.MaxRecursion)
            .LimitMemory(options.MemoryLimit));
        try
        {
            PacHostFunctions.Register(engine, options);
            engine.Execute(PacJavaScriptLibrary.Prepared);
            engine.Execute(script);
            return engine.GetValue("FindProxyForURL") is Function function
                ? new PacScript(engine, function, options)
                : throw new PacScriptException("the PAC script defines no function FindProxyForURL(url, host)");
        }
        catch (Exception e) when (PacFailure.Describe(e, options) is { } reason)
        {
            engine.Dispose();
            throw new PacScriptException($"the PAC script's top-level code {reason}", e);
        }
        catch
        {
            engine.Dispose();
            throw;
        }
    }

    /// <summary>Calls FindProxyForURL(url, host).</summary>
    /// <exception cref="PacScriptException">The script threw, exceeded a limit, or returned a non-string.</exception>
    public string FindProxyForUrl(string url, string host)
    {
        JsValue result;
        lock (_evaluation)
        {
            try
            {
                result = _engine.Invoke(_findProxyForUrl, new JsString(url), new JsString(host));
            }
            catch (Exception e) when (PacFailure.Describe(e, _options) is { } reason)
            {
                throw new PacScriptException($"the PAC script {reason}", e);
            }
        }

        return result.IsString()
            ? result.AsString()
            : throw new PacScriptException($"the PAC script returned a non-string ({result.Type.ToString().ToLowerInvariant()})");
    }

    public void Dispose()
    {
        lock (_evaluation)
        {
            _engine.Dispose();
        }
    }

    private static Prepared<Acornima.Ast.Script> Parse(string text)
    {
        try
        {
            return Engine.PrepareScript(text, "pac");
        }
        catch (ScriptPreparationException e) when (e.InnerException is ParseErrorException error)
        {
            // Acornima's description names at most the offending token, never the line.
            throw new PacScriptException(
                $"the PAC script has a syntax error at line {error.LineNumber}, column {error.Column + 1}: {PacFailure.Shorten(error.Description ?? "")}", e);
        }
        catch (ScriptPreparationException e)
        {
            throw new PacScriptException($"the PAC script cannot be parsed: {PacFailure.Shorten(e.InnerException?.Message ?? e.Message)}", e);
        }
    }
}
