
namespace ApicastSidecarProxy.Configuration;

/// <summary>
/// Proxy credentials given apart from the proxy URL (PROXY_USERNAME, PROXY_PASSWORD or PROXY_PASSWORD_FILE, the latter
/// so that a mounted Kubernetes Secret can hold the password). Each, when set, wins over the URL's userinfo.
/// </summary>
public sealed record ProxyCredentialSettings(string? User, string? Password, string? PasswordFile)
{
    public static ProxyCredentialSettings Read(SettingsSource settings)
    {
        var password = settings.GetVerbatim(SettingNames.ProxyPassword);
        var passwordFile = settings.Get(SettingNames.ProxyPasswordFile);
        if (password is not null && passwordFile is not null)
        {
            throw new ConfigurationException(SettingNames.ProxyPasswordFile,
                $"cannot be set together with {SettingNames.ProxyPassword}: choose one");
        }

        if (passwordFile is not null)
        {
            EnsureReadable(passwordFile);
        }

        return new ProxyCredentialSettings(settings.Get(SettingNames.ProxyUsername), password, passwordFile);
    }

    private static void EnsureReadable(string path)
    {
        try
        {
            using var _ = File.OpenRead(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Unreadable(e);
        }
    }

    // The path is not echoed: a password pasted into PROXY_PASSWORD_FILE by mistake would be printed.
    private static ConfigurationException Unreadable(Exception e) =>
        new(SettingNames.ProxyPasswordFile, $"cannot read the file it names ({e.GetType().Name})");

    /// <summary>The variable holding the password, for messages.</summary>
    public string? PasswordVariable => PasswordFile is not null ? SettingNames.ProxyPasswordFile
        : Password is not null ? SettingNames.ProxyPassword
        : null;

    /// <summary>Combines these settings with the proxy URL's userinfo; null when there is no user name at all.</summary>
    public ProxyCredentials? For(string proxyVariable, string? urlUser, string? urlPassword)
    {
        var user = User ?? urlUser;
        if (string.IsNullOrEmpty(user))
        {
            if (PasswordVariable is { } variable)
            {
                throw new ConfigurationException(variable,
                    $"a proxy password is set but no user name ({SettingNames.ProxyUsername} or user@ in {proxyVariable})");
            }

            return null;
        }

        // DOMAIN\user is the NTLM spelling; the domain travels separately.
        var backslash = user.IndexOf('\\');
        var (domain, name) = backslash > 0 ? (user[..backslash], user[(backslash + 1)..]) : ((string?)null, user);
        if (PasswordFile is null)
        {
            return ProxyCredentials.WithPassword(name, domain, Password ?? urlPassword ?? "");
        }

        try
        {
            return ProxyCredentials.WithPasswordFile(name, domain, PasswordFile);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Unreadable(e);
        }
    }
}
