using ApicastSidecarProxy.Configuration;

namespace ApicastSidecarProxy.Tests.Configuration;

public class ProxyOptionsReaderTests
{
    [Fact]
    public void LowercaseWins_WhenBothSpellingsAreSet_WhateverTheOrder()
    {
        var lowerLast = TestSettings.Read(("HTTPS_PROXY", "http://upper:3128"), ("https_proxy", "http://lower:3128")).Proxy;
        var lowerFirst = TestSettings.Read(("https_proxy", "http://lower:3128"), ("HTTPS_PROXY", "http://upper:3128")).Proxy;

        Assert.Equal(new Uri("http://lower:3128/"), lowerLast.Https!.Uri);
        Assert.Equal(new Uri("http://lower:3128/"), lowerFirst.Https!.Uri);
        Assert.Equal("https_proxy", lowerFirst.Https.Variable);
    }

    [Fact]
    public void LowercaseNoProxyWins_WhateverTheOrder()
    {
        var proxy = TestSettings.Read(("https_proxy", "http://p:3128"), ("no_proxy", "lower.example"), ("NO_PROXY", "upper.example")).Proxy;

        Assert.True(proxy.NoProxy.Matches("lower.example", 443));
        Assert.False(proxy.NoProxy.Matches("upper.example", 443));
    }

    [Fact]
    public void Flag_WinsOverTheEnvironment()
    {
        var settings = TestSettings.Create(
            [(SettingNames.PortalEndpoint, TestSettings.Portal), ("HTTPS_PROXY", "http://env-proxy:3128")],
            [("https_proxy", "http://flag-proxy:3128")]);

        Assert.Equal(new Uri("http://flag-proxy:3128/"), SidecarOptionsReader.Read(settings).Proxy.Https!.Uri);
    }

    [Fact]
    public void Password_KeepsItsSpaces()
    {
        var credentials = TestSettings.Read(
            ("https_proxy", "http://proxy:3128"), ("PROXY_USERNAME", "alice"), ("PROXY_PASSWORD", " pass word ")).Proxy.Https!.Credentials!;

        Assert.Equal(" pass word ", credentials.Current().Password);
    }

    [Theory]
    [InlineData("http://bob:2024#Winter@proxy.corp:3128")]
    [InlineData("bob:2024/Winter@proxy.corp:3128")]
    [InlineData("http://bob:Sum?2024@proxy.corp:3128")]
    [InlineData("http://bob:pass@2024?Winter@proxy.corp:3128")]
    public void PasswordWithAnUnencodedDelimiter_IsRefusedWithoutEchoingIt(string value)
    {
        // .NET ends the authority at the delimiter, so the password's start would be read as the proxy's host or port.
        var error = Assert.Throws<ConfigurationException>(() => TestSettings.Read(("https_proxy", value)));

        Assert.Equal("https_proxy", error.Variable);
        Assert.Contains("percent-encode", error.Message);
        Assert.DoesNotContain("2024", error.Message);
        Assert.DoesNotContain("Winter", error.Message);
    }

    [Fact]
    public void PercentEncodedDelimiters_AreDecodedInThePassword()
    {
        var credentials = TestSettings.Read(("https_proxy", "http://bob:W%23in%2Fter%40@proxy.corp:3128")).Proxy.Https!.Credentials!;

        Assert.Equal("W#in/ter@", credentials.Current().Password);
    }

    [Theory]
    [InlineData("socks5://proxy.corp", "socks5://proxy.corp:1080/")]
    [InlineData("socks4a://proxy.corp", "socks4a://proxy.corp:1080/")]
    [InlineData("http://proxy.corp", "http://proxy.corp/")]
    public void AProxyWithoutAPort_GetsItsSchemesPort_1080ForSocksAsInCurl(string value, string expected)
    {
        Assert.Equal(new Uri(expected), TestSettings.Read(("https_proxy", value)).Proxy.Https!.Uri);
    }

    [Fact]
    public void UppercaseIsRead_WhenAlone()
    {
        var proxy = TestSettings.Read(("HTTPS_PROXY", "http://upper:3128")).Proxy;

        Assert.Equal(new Uri("http://upper:3128/"), proxy.Https!.Uri);
        Assert.Null(proxy.Http);
    }

    [Fact]
    public void AllProxy_IsTheFallbackForBothSchemes()
    {
        var proxy = TestSettings.Read(("all_proxy", "http://all:3128"), ("http_proxy", "http://plain:3128")).Proxy;

        Assert.Equal(new Uri("http://all:3128/"), proxy.Https!.Uri);
        Assert.Equal(new Uri("http://plain:3128/"), proxy.Http!.Uri);
    }

    [Fact]
    public void ProxyWithoutScheme_IsHttp()
    {
        Assert.Equal(new Uri("http://proxy.corp:3128/"), TestSettings.Read(("https_proxy", "proxy.corp:3128")).Proxy.Https!.Uri);
    }

    [Fact]
    public void UserInfo_IsPercentDecodedAndRemovedFromTheUri()
    {
        var proxy = TestSettings.Read(("https_proxy", "http://bob:p%40ss%25word@proxy:3128")).Proxy.Https!;

        Assert.Equal("bob", proxy.Credentials!.UserName);
        Assert.Equal("p@ss%word", proxy.Credentials.Current().Password);
        Assert.Equal("", proxy.Uri.UserInfo);
    }

    [Fact]
    public void DomainUser_IsSplitForNtlm()
    {
        var credentials = TestSettings.Read(("https_proxy", "http://CORP%5Cbob:pw@proxy:3128")).Proxy.Https!.Credentials!;

        Assert.Equal("CORP", credentials.Domain);
        Assert.Equal("bob", credentials.UserName);
    }

    [Fact]
    public void CredentialVariables_WinOverUserInfo()
    {
        var credentials = TestSettings.Read(
            ("https_proxy", "http://url-user:url-pass@proxy:3128"),
            ("PROXY_USERNAME", "alice"), ("PROXY_PASSWORD", "var-pass")).Proxy.Https!.Credentials!;

        Assert.Equal("alice", credentials.UserName);
        Assert.Equal("var-pass", credentials.Current().Password);
    }

    [Fact]
    public void PasswordFile_IsReadWithoutItsTrailingNewline()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, "from-file\n");
            var credentials = TestSettings.Read(
                ("https_proxy", "http://proxy:3128"), ("PROXY_USERNAME", "alice"), ("PROXY_PASSWORD_FILE", file))
                .Proxy.Https!.Credentials!;

            Assert.Equal("from-file", credentials.Current().Password);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void PasswordFileThatIsNotAFile_IsRefusedWithoutEchoingIt()
    {
        // The mistake this guards against: the Secret's value wired into PROXY_PASSWORD_FILE instead of its path.
        var error = Assert.Throws<ConfigurationException>(() => TestSettings.Read(
            ("https_proxy", "http://proxy:3128"), ("PROXY_USERNAME", "alice"), ("PROXY_PASSWORD_FILE", "Winter2024!")));

        Assert.Equal("PROXY_PASSWORD_FILE", error.Variable);
        Assert.Contains("cannot read", error.Message);
        Assert.DoesNotContain("Winter2024", error.Message);
    }

    [Fact]
    public void PasswordAndPasswordFile_AreExclusive()
    {
        var error = Assert.Throws<ConfigurationException>(() => TestSettings.Read(
            ("https_proxy", "http://proxy:3128"), ("PROXY_PASSWORD", "a"), ("PROXY_PASSWORD_FILE", "/tmp/x")));

        Assert.Equal("PROXY_PASSWORD_FILE", error.Variable);
    }

    [Fact]
    public void PasswordWithoutUser_IsRefused()
    {
        var error = Assert.Throws<ConfigurationException>(() => TestSettings.Read(
            ("https_proxy", "http://proxy:3128"), ("PROXY_PASSWORD", "s3cr3t")));

        Assert.Equal("PROXY_PASSWORD", error.Variable);
        Assert.DoesNotContain("s3cr3t", error.Message);
    }

    [Theory]
    [InlineData("https://proxy.corp:3129")]
    [InlineData("socks5://proxy.corp:1080")]
    [InlineData("socks4://proxy.corp:1080")]
    [InlineData("socks4a://proxy.corp:1080")]
    public void ProxyKinds_SpokenByDotNet_AreAccepted(string url)
    {
        Assert.Equal(new Uri(url), TestSettings.Read(("https_proxy", url)).Proxy.Https!.Uri);
    }

    [Fact]
    public void Socks5h_IsRefused_PointingToSocks5()
    {
        var error = Assert.Throws<ConfigurationException>(() => TestSettings.Read(("https_proxy", "socks5h://proxy:1080")));

        Assert.Contains("use socks5://", error.Message);
    }

    [Theory]
    [InlineData(null, ProxyAuthScheme.Auto)]
    [InlineData("ntlm", ProxyAuthScheme.Ntlm)]
    [InlineData("NEGOTIATE", ProxyAuthScheme.Negotiate)]
    [InlineData("kerberos", ProxyAuthScheme.Negotiate)]
    [InlineData("digest", ProxyAuthScheme.Digest)]
    [InlineData("basic", ProxyAuthScheme.Basic)]
    public void ProxyAuth_IsRead(string? value, ProxyAuthScheme expected)
    {
        var options = value is null ? TestSettings.Read() : TestSettings.Read(("PROXY_AUTH", value));

        Assert.Equal(expected, options.Proxy.AuthScheme);
    }

    [Fact]
    public void UnknownProxyAuth_NamesTheVariable()
    {
        Assert.Equal("PROXY_AUTH", Assert.Throws<ConfigurationException>(() => TestSettings.Read(("PROXY_AUTH", "spnego2"))).Variable);
    }

    [Fact]
    public void NoProxy_IsParsed()
    {
        var proxy = TestSettings.Read(("https_proxy", "http://proxy:3128"), ("no_proxy", ".internal,10.0.0.0/8")).Proxy;

        Assert.True(proxy.NoProxy.Matches("svc.internal", 443));
        Assert.True(proxy.NoProxy.Matches("10.1.2.3", 443));
        Assert.False(proxy.NoProxy.Matches("su1.3scale.net", 443));
    }
}
