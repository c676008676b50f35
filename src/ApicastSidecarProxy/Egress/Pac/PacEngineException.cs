namespace ApicastSidecarProxy.Egress.Pac;

/// <summary>The PAC engine could not be started, stopped, or did not answer in time. The message completes "the PAC engine ...".</summary>
internal sealed class PacEngineException(string message) : Exception(message);
