using System.Net;
using ApicastSidecarProxy.Egress;

namespace ApicastSidecarProxy.Configuration;

/// <summary>Reads the curl-style proxy variables and the proxy credentials.</summary>
public static class ProxyOptionsReader
{
    public static ProxyOptions Read(SettingsSource settings)
    {
        var all = settings.GetFirst(SettingNames.AllProxy);
        var https = settings.GetFirst(SettingNames.HttpsProxy) ?? all;
        var http = settings.GetFirst(SettingNames.HttpProxy) ?? all;
        var credentials = ProxyCredentialSettings.Read(settings);

        return new ProxyOptions
        {
            Https = https is { } h ? ParseProxy(h.Name, h.Value, credentials) : null,
            Http = http is { } p ? ParseProxy(p.Name, p.Value, credentials) : null,
            NoProxy = ReadNoProxy(settings),
        };
    }

    private static NoProxyList ReadNoProxy(SettingsSource settings)
    {
        if (settings.GetFirst(SettingNames.NoProxy) is not { } noProxy)
        {
            return NoProxyList.Empty;
        }

        try
        {
            return NoProxyList.Parse(noProxy.Value);
        }
        catch (FormatException e)
        {
            throw new ConfigurationException(noProxy.Name, e.Message);
        }
    }

    private static ProxyEndpoint ParseProxy(string variable, string value, ProxyCredentialSettings credentials)
    {
        // Like curl, a proxy given without a scheme is an http:// proxy.
        var text = value.Contains("://", StringComparison.Ordinal) ? value : "http://" + value;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Host.Length == 0)
        {
            throw new ConfigurationException(variable, "is not a proxy URL (expected http://[user:password@]host:port)");
        }

        if (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
        {
            throw new ConfigurationException(variable,
                $"proxy scheme '{uri.Scheme}' is not supported (use http:// or https://)");
        }

        var (urlUser, urlPassword) = uri.UserInfo.Length > 0 ? UserInfo.Split(uri.UserInfo) : (null, null);
        var user = credentials.User ?? urlUser;
        var password = credentials.Password ?? urlPassword;
        if (string.IsNullOrEmpty(user) && !string.IsNullOrEmpty(credentials.Password))
        {
            throw new ConfigurationException(credentials.PasswordVariable!,
                $"a proxy password is set but no user name ({SettingNames.ProxyUsername} or user@ in {variable})");
        }

        var proxyUri = new UriBuilder(uri.Scheme, uri.Host, uri.Port).Uri;
        return new ProxyEndpoint(proxyUri, ToCredential(user, password), variable);
    }

    private static NetworkCredential? ToCredential(string? user, string? password)
    {
        if (string.IsNullOrEmpty(user))
        {
            return null;
        }

        // DOMAIN\user is the NTLM spelling; the domain travels separately.
        var backslash = user.IndexOf('\\');
        return backslash > 0
            ? new NetworkCredential(user[(backslash + 1)..], password ?? "", user[..backslash])
            : new NetworkCredential(user, password ?? "");
    }
}
