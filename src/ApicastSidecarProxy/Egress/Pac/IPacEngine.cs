namespace ApicastSidecarProxy.Egress.Pac;

/// <summary>What runs PAC scripts: <see cref="PacEngineClient"/>, the sidecar's side of apicast-sidecar-pac.</summary>
public interface IPacEngine
{
    /// <summary>Parses <paramref name="text"/> and runs its top-level code.</summary>
    /// <exception cref="PacScriptException">A syntax error, a failure of the top-level code, no FindProxyForURL, or the engine failed.</exception>
    IPacScript Compile(string text);
}
