using System.Net;

namespace ApicastSidecarProxy.Egress;

/// <summary>
/// The credentials presented to one proxy. With a password file (PROXY_PASSWORD_FILE, e.g. a mounted Kubernetes
/// Secret), the file is read again whenever it changes, so a rotated password is used for the next new tunnel without a
/// restart. The check is one stat per proxy challenge, that is per new tunnel, never per request.
/// </summary>
public sealed class ProxyCredentials
{
    private readonly string? _passwordFile;
    private readonly Lock _lock = new();
    private NetworkCredential _current;
    private string? _previousPassword;
    private (DateTime Written, long Length) _fileVersion;

    private ProxyCredentials(string user, string? domain, string password, string? passwordFile)
    {
        UserName = user;
        Domain = domain;
        _passwordFile = passwordFile;
        _current = new NetworkCredential(user, password, domain);
        if (passwordFile is not null)
        {
            _fileVersion = VersionOf(passwordFile);
        }
    }

    public string UserName { get; }

    /// <summary>The NTLM domain of a DOMAIN\user name; null otherwise.</summary>
    public string? Domain { get; }

    public bool HasPassword => Current().Password.Length > 0;

    public static ProxyCredentials WithPassword(string user, string? domain, string password) => new(user, domain, password, null);

    /// <exception cref="IOException">The file cannot be read.</exception>
    /// <exception cref="UnauthorizedAccessException">The file cannot be read.</exception>
    public static ProxyCredentials WithPasswordFile(string user, string? domain, string passwordFile) =>
        new(user, domain, ReadPassword(passwordFile), passwordFile);

    /// <summary>The credentials to answer a challenge with now; re-reads the password file when it has changed.</summary>
    public NetworkCredential Current()
    {
        if (_passwordFile is null)
        {
            return _current;
        }

        lock (_lock)
        {
            try
            {
                var version = VersionOf(_passwordFile);
                // An empty file after a password is one being rewritten (truncated, not yet written): keep the last
                // password, and read it again at the next challenge, rather than fail logins that count towards a lockout.
                if (version != _fileVersion && ReadPassword(_passwordFile) is var password
                    && (password.Length > 0 || _current.Password.Length == 0))
                {
                    _previousPassword = _current.Password;
                    _current = new NetworkCredential(UserName, password, Domain);
                    _fileVersion = version;
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Mid-rotation (a Secret volume swaps a symlink): keep the last password until the file is readable.
            }

            return _current;
        }
    }

    /// <summary>The password in use and, after a rotation, the one before it: both must stay out of every message.</summary>
    public IEnumerable<string> Passwords()
    {
        var current = Current().Password;
        lock (_lock)
        {
            return _previousPassword is null ? [current] : [current, _previousPassword];
        }
    }

    // A trailing newline is an accident of how the file was written, never part of the password.
    private static string ReadPassword(string path) => File.ReadAllText(path).TrimEnd('\r', '\n');

    private static (DateTime, long) VersionOf(string path)
    {
        var file = new FileInfo(path);
        return (file.LastWriteTimeUtc, file.Exists ? file.Length : -1);
    }
}
