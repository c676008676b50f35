namespace ApicastSidecarProxy.Hosting;

/// <summary>How the process ends, for scripts, systemd (a configuration error is not restarted) and `check`.</summary>
public static class ExitCodes
{
    /// <summary>Served until SIGTERM/SIGINT; or --help, --version; or `check` found every hop passing.</summary>
    public const int Success = 0;

    /// <summary>A setting cannot be used; one line on stderr names it.</summary>
    public const int ConfigurationError = 1;

    /// <summary>A listener could not bind (port in use, address not on this host); one line "cannot start: ...".</summary>
    public const int CannotStart = 2;

    /// <summary>`check`: a hop failed.</summary>
    public const int HopFailed = 3;
}
