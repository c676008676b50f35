namespace ApicastSidecarProxy.Configuration;

/// <summary>The userinfo part of a URL, percent-decoded (so "p%40ss" is "p@ss").</summary>
public static class UserInfo
{
    public static (string User, string Password) Split(string userInfo)
    {
        var colon = userInfo.IndexOf(':');
        return colon < 0
            ? (Uri.UnescapeDataString(userInfo), "")
            : (Uri.UnescapeDataString(userInfo[..colon]), Uri.UnescapeDataString(userInfo[(colon + 1)..]));
    }
}
