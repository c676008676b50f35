using ApicastSidecarProxy.PacEngine;

namespace ApicastSidecarProxy.Tests.PacEngine;

internal static class PacTestScripts
{
    public static readonly PacScriptOptions Options = new() { Dns = new FakePacDns([]) };

    /// <summary>The value of a JavaScript expression, as a string, evaluated inside FindProxyForURL.</summary>
    public static string Evaluate(string expression, PacScriptOptions? options = null)
    {
        using var script = PacScript.Compile($"function FindProxyForURL(url, host) {{ return String({expression}); }}", options ?? Options);
        return script.FindProxyForUrl("http://example.com/", "example.com");
    }
}
