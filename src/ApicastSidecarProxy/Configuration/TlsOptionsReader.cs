using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ApicastSidecarProxy.Configuration;

/// <summary>Reads UPSTREAM_CA_FILE and UPSTREAM_TLS_INSECURE_SKIP_VERIFY.</summary>
public static class TlsOptionsReader
{
    public static TlsOptions Read(SettingsSource settings)
    {
        var options = new TlsOptions { SkipVerification = ReadBoolean(settings, SettingNames.UpstreamTlsInsecureSkipVerify) };
        var caFile = settings.Get(SettingNames.UpstreamCaFile);
        if (caFile is null)
        {
            return options;
        }

        return options with { ExtraTrustedCertificates = ReadPemBundle(caFile), ExtraTrustedCertificatesFile = caFile };
    }

    private static X509Certificate2Collection ReadPemBundle(string path)
    {
        var certificates = new X509Certificate2Collection();
        try
        {
            certificates.ImportFromPemFile(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
        {
            throw new ConfigurationException(SettingNames.UpstreamCaFile,
                $"cannot read PEM certificates from '{path}': {e.Message}");
        }

        if (certificates.Count == 0)
        {
            throw new ConfigurationException(SettingNames.UpstreamCaFile, $"'{path}' holds no PEM certificate");
        }

        return certificates;
    }

    internal static bool ReadBoolean(SettingsSource settings, string name)
    {
        var value = settings.Get(name);
        return value?.ToLowerInvariant() switch
        {
            null or "false" or "0" or "no" => false,
            "true" or "1" or "yes" => true,
            _ => throw new ConfigurationException(name, $"'{value}' is not a boolean (true or false)"),
        };
    }
}
