namespace ApicastSidecarProxy.Configuration;

/// <summary>
/// A setting that cannot be used. The message names the variable and the problem, never the secret it may hold,
/// so it can be printed as is before the process exits with code 1.
/// </summary>
public sealed class ConfigurationException(string variable, string problem)
    : Exception($"{variable}: {problem}")
{
    public string Variable { get; } = variable;
}
