namespace ApicastSidecarProxy.Configuration;

/// <summary>
/// Proxy credentials given apart from the proxy URL (PROXY_USERNAME, PROXY_PASSWORD or PROXY_PASSWORD_FILE, the latter
/// so that a mounted Kubernetes Secret can hold the password). Each, when set, wins over the URL's userinfo.
/// </summary>
public sealed record ProxyCredentialSettings(string? User, string? Password, string? PasswordVariable)
{
    public static ProxyCredentialSettings Read(SettingsSource settings)
    {
        var user = settings.Get(SettingNames.ProxyUsername);
        var password = settings.GetVerbatim(SettingNames.ProxyPassword);
        var passwordFile = settings.Get(SettingNames.ProxyPasswordFile);

        if (password is not null && passwordFile is not null)
        {
            throw new ConfigurationException(SettingNames.ProxyPasswordFile,
                $"cannot be set together with {SettingNames.ProxyPassword}: choose one");
        }

        if (passwordFile is null)
        {
            return new ProxyCredentialSettings(user, password, password is null ? null : SettingNames.ProxyPassword);
        }

        return new ProxyCredentialSettings(user, ReadPasswordFile(passwordFile), SettingNames.ProxyPasswordFile);
    }

    private static string ReadPasswordFile(string path)
    {
        try
        {
            // A trailing newline is an accident of how the file was written, never part of the password.
            return File.ReadAllText(path).TrimEnd('\r', '\n');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigurationException(SettingNames.ProxyPasswordFile, $"cannot read '{path}': {e.GetType().Name}");
        }
    }
}
