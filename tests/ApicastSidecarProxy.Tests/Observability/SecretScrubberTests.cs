using ApicastSidecarProxy.Configuration;
using ApicastSidecarProxy.Observability;

namespace ApicastSidecarProxy.Tests.Observability;

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
}
