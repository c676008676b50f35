using ApicastSidecarProxy.Configuration;
using ApicastSidecarProxy.Redaction;

namespace ApicastSidecarProxy.Tests.Redaction;

public class SecretScrubberTests
{
    [Fact]
    public void RemovesRawAndPercentEncodedSecrets()
    {
        var scrubber = new SecretScrubber(["p@ss%word", null, ""]);

        Assert.Equal("a *** b ***", scrubber.Scrub("a p@ss%word b p%40ss%25word"));
    }

    [Fact]
    public void VeryShortValues_AreLeftAlone()
    {
        Assert.Equal("a pw b", new SecretScrubber(["pw"]).Scrub("a pw b"));
    }

    [Fact]
    public void KnowsEveryConfiguredSecret()
    {
        var options = SidecarOptionsReader.Read(TestSettings.Environment(
            (SettingNames.PortalEndpoint, "https://portal-token@tenant-admin.3scale.net"),
            ("https_proxy", "http://bob:proxy-pass@proxy:3128")));
        var scrubber = SecretScrubber.For(options);

        var text = scrubber.Scrub("portal-token proxy-pass Basic cG9ydGFsLXRva2VuOg== bob");

        Assert.Equal("*** *** *** bob", text);
    }

    [Fact]
    public void KnowsTheFailoverAndPacProxyPasswords()
    {
        var failover = SecretScrubber.For(SidecarOptionsReader.Read(TestSettings.Environment(
            (SettingNames.PortalEndpoint, "https://tenant-admin.3scale.net"), ("https_proxy", "http://a:3128"),
            (SettingNames.ProxyFailover, "http://carol:backup-pass@b:3128"))));
        var pac = SecretScrubber.For(SidecarOptionsReader.Read(TestSettings.Environment(
            (SettingNames.PortalEndpoint, "https://tenant-admin.3scale.net"), (SettingNames.ProxyPac, "/etc/proxy.pac"),
            (SettingNames.ProxyUsername, "dave"), (SettingNames.ProxyPassword, "pac-proxy-pass"))));

        Assert.Equal("x *** y", failover.Scrub("x backup-pass y"));
        Assert.Equal("x *** y", pac.Scrub("x pac-proxy-pass y"));
    }

    [Fact]
    public void FollowsARotatedPasswordFile_ScrubbingTheCurrentAndThePreviousPassword()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, "first-Passw0rd\n");
            var options = SidecarOptionsReader.Read(TestSettings.Environment(
                (SettingNames.PortalEndpoint, "https://tenant-admin.3scale.net"),
                ("https_proxy", "http://proxy:3128"), (SettingNames.ProxyUsername, "bob"), (SettingNames.ProxyPasswordFile, file)));
            var scrubber = SecretScrubber.For(options);
            Assert.Equal("*** second-Passw0rd", scrubber.Scrub("first-Passw0rd second-Passw0rd"));

            File.WriteAllText(file, "second-Passw0rd-longer\n");
            File.SetLastWriteTimeUtc(file, DateTime.UtcNow.AddMinutes(1));

            Assert.Equal("*** *** third", scrubber.Scrub("first-Passw0rd second-Passw0rd-longer third"));
        }
        finally
        {
            File.Delete(file);
        }
    }
}
