namespace ApicastSidecarProxy.FunctionalTests.Infrastructure;

/// <summary>An authentication scheme squid offers for CONNECT, each backed by squid's own helper.</summary>
public enum SquidAuthScheme
{
    /// <summary><c>basic_ncsa_auth</c> with an APR1-MD5 htpasswd file.</summary>
    Basic,

    /// <summary><c>digest_file_auth</c> with a plain <c>user:password</c> file.</summary>
    Digest,

    /// <summary><c>negotiate_kerberos_auth</c> with the keytab of a <see cref="KerberosRealm"/>'s HTTP/localhost.</summary>
    Negotiate,
}
