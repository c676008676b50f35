using System.Net;
using ApicastSidecarProxy.Configuration;

namespace ApicastSidecarProxy.Tests.Configuration;

public class SidecarOptionsReaderTests
{
    [Fact]
    public void Defaults_MatchTheOriginalSidecar()
    {
        var options = TestSettings.Read();

        Assert.Collection(options.Routes,
            portal =>
            {
                Assert.Equal("portal", portal.Name);
                Assert.Equal(9090, portal.ListenPort);
                Assert.Equal(new Uri("https://tenant-admin.3scale.net/"), portal.Upstream);
            },
            backend =>
            {
                Assert.Equal("backend", backend.Name);
                Assert.Equal(9091, backend.ListenPort);
                Assert.Equal(new Uri("https://su1.3scale.net/"), backend.Upstream);
            });
        Assert.Null(options.ListenAddress);
        Assert.Null(options.Proxy.Https);
        Assert.Null(options.Proxy.Http);
        Assert.True(options.Proxy.NoProxy.IsEmpty);
        Assert.Equal(TimeSpan.FromSeconds(60), options.UpstreamTimeout);
        Assert.Equal(TimeSpan.FromSeconds(10), options.ConnectTimeout);
        // A bound on memory that does not cap a 50 ms upstream at 500 concurrent requests (bench/RESULTS.md).
        Assert.Equal(512, options.UpstreamMaxConnections);
        // What a fast upstream at 500 concurrent requests needs, no more (bench/RESULTS.md, "An adaptive concurrency limit").
        Assert.Equal(64, options.UpstreamConcurrencyFloor);
        Assert.False(options.Tls.SkipVerification);
    }

    [Fact]
    public void MissingPortalEndpoint_NamesTheVariable()
    {
        var error = Assert.Throws<ConfigurationException>(() => SidecarOptionsReader.Read(TestSettings.Environment()));

        Assert.Equal(SettingNames.PortalEndpoint, error.Variable);
        Assert.StartsWith("THREESCALE_PORTAL_ENDPOINT: is required", error.Message);
    }

    [Theory]
    [InlineData("PORTAL_LISTEN_PORT", "abc")]
    [InlineData("PORTAL_LISTEN_PORT", "-1")]
    [InlineData("BACKEND_LISTEN_PORT", "65536")]
    [InlineData("LISTEN_ADDRESS", "not-an-ip")]
    [InlineData("UPSTREAM_TIMEOUT", "soon")]
    [InlineData("UPSTREAM_TIMEOUT", "0")]
    [InlineData("CONNECT_TIMEOUT", "-3")]
    [InlineData("UPSTREAM_TIMEOUT", "nan")]
    [InlineData("CONNECT_TIMEOUT", "NaN")]
    [InlineData("DRAIN_DELAY", "NaN")]
    [InlineData("UPSTREAM_TIMEOUT", "Infinity")]
    [InlineData("CONNECT_TIMEOUT", "0.00000001")]
    [InlineData("UPSTREAM_MAX_CONNECTIONS", "0")]
    [InlineData("UPSTREAM_MAX_CONNECTIONS", "many")]
    [InlineData("UPSTREAM_MAX_CONNECTIONS", "-8")]
    [InlineData("UPSTREAM_CONCURRENCY_FLOOR", "0")]
    [InlineData("UPSTREAM_CONCURRENCY_FLOOR", "some")]
    [InlineData("UPSTREAM_CONCURRENCY_FLOOR", "513")]
    [InlineData("UPSTREAM_TLS_INSECURE_SKIP_VERIFY", "maybe")]
    [InlineData("BACKEND_ENDPOINT_OVERRIDE", "su1.3scale.net")]
    [InlineData("BACKEND_ENDPOINT_OVERRIDE", "ftp://su1.3scale.net")]
    [InlineData("BACKEND_ENDPOINT_OVERRIDE", "https://su1.3scale.net/?a=b")]
    [InlineData("https_proxy", "socks5h://proxy:1080")]
    [InlineData("https_proxy", "http://")]
    [InlineData("NO_PROXY", "10.0.0.0/33")]
    [InlineData("UPSTREAM_CA_FILE", "/nonexistent/ca.pem")]
    [InlineData("MANAGEMENT_PORT", "x")]
    [InlineData("MANAGEMENT_ADDRESS", "pod-ip")]
    [InlineData("MANAGEMENT_PORT", "9090")]
    [InlineData("READINESS_INTERVAL", "-1")]
    [InlineData("DRAIN_DELAY", "soon")]
    [InlineData("SHUTDOWN_TIMEOUT", "0")]
    [InlineData("LOG_FORMAT", "xml")]
    [InlineData("LOG_LEVEL", "loud")]
    [InlineData("CLIENT_HEADER_TIMEOUT", "0")]
    [InlineData("CLIENT_IDLE_TIMEOUT", "abc")]
    [InlineData("PROXY_PASSWORD_FILE", "/nonexistent/password")]
    public void BadValue_FailsNamingTheVariable(string variable, string value)
    {
        var error = Assert.Throws<ConfigurationException>(() => TestSettings.Read((variable, value)));

        Assert.Equal(variable, error.Variable);
        Assert.StartsWith(variable + ": ", error.Message);
    }

    [Fact]
    public void ConnectTimeoutLongerThanUpstreamTimeout_IsRefused()
    {
        var error = Assert.Throws<ConfigurationException>(() =>
            TestSettings.Read(("UPSTREAM_TIMEOUT", "2"), ("CONNECT_TIMEOUT", "5")));

        Assert.Equal(SettingNames.ConnectTimeout, error.Variable);
        Assert.Contains("UPSTREAM_TIMEOUT", error.Message);
    }

    [Fact]
    public void SamePortForBothRoutes_IsRefused()
    {
        var error = Assert.Throws<ConfigurationException>(() =>
            TestSettings.Read(("PORTAL_LISTEN_PORT", "8000"), ("BACKEND_LISTEN_PORT", "8000")));

        Assert.Equal(SettingNames.BackendListenPort, error.Variable);
    }

    [Fact]
    public void BadEndpoint_NeverEchoesTheValue()
    {
        var error = Assert.Throws<ConfigurationException>(() =>
            SidecarOptionsReader.Read(TestSettings.Environment((SettingNames.PortalEndpoint, "https://s3cr3t-token@"))));

        Assert.DoesNotContain("s3cr3t-token", error.Message);
    }

    [Fact]
    public void BadProxyUrl_NeverEchoesThePassword()
    {
        var error = Assert.Throws<ConfigurationException>(() => TestSettings.Read(("https_proxy", "socks5h://u:s3cr3t@proxy:1")));

        Assert.DoesNotContain("s3cr3t", error.Message);
    }

    [Fact]
    public void PortalEndpointUserInfo_BecomesCredentialsAndLeavesTheUrl()
    {
        var options = SidecarOptionsReader.Read(TestSettings.Environment(
            (SettingNames.PortalEndpoint, "https://t%40ken@tenant-admin.3scale.net:8443/prefix/")));

        var portal = options.Routes[0];
        Assert.Equal(new Uri("https://tenant-admin.3scale.net:8443/prefix/"), portal.Upstream);
        Assert.Equal("", portal.Upstream.UserInfo);
        Assert.Equal("t@ken", portal.UpstreamCredentials!.UserName);
        Assert.Equal("", portal.UpstreamCredentials.Password);
    }

    [Fact]
    public void ListenAndUpstreamSettings_AreRead()
    {
        var options = TestSettings.Read(
            ("PORTAL_LISTEN_PORT", "0"), ("BACKEND_LISTEN_PORT", "19091"), ("LISTEN_ADDRESS", "127.0.0.1"),
            ("UPSTREAM_TIMEOUT", "3.5s"), ("CONNECT_TIMEOUT", "3"), ("UPSTREAM_MAX_CONNECTIONS", "64"));

        Assert.Equal(0, options.Routes[0].ListenPort);
        Assert.Equal(19091, options.Routes[1].ListenPort);
        Assert.Equal(IPAddress.Loopback, options.ListenAddress);
        Assert.Equal(TimeSpan.FromSeconds(3.5), options.UpstreamTimeout);
        Assert.Equal(TimeSpan.FromSeconds(3), options.ConnectTimeout);
        Assert.Equal(64, options.UpstreamMaxConnections);
    }

    [Fact]
    public void ConcurrencyFloor_IsRead_AndDefaultsToTheConnectionLimitWhenThatIsLower()
    {
        Assert.Equal(200, TestSettings.Read(("UPSTREAM_CONCURRENCY_FLOOR", "200")).UpstreamConcurrencyFloor);
        Assert.Equal(16, TestSettings.Read(("UPSTREAM_MAX_CONNECTIONS", "16")).UpstreamConcurrencyFloor);
        var error = Assert.Throws<ConfigurationException>(() =>
            TestSettings.Read(("UPSTREAM_MAX_CONNECTIONS", "16"), ("UPSTREAM_CONCURRENCY_FLOOR", "32")));
        Assert.Equal("UPSTREAM_CONCURRENCY_FLOOR: 32 is more than UPSTREAM_MAX_CONNECTIONS (16)", error.Message);
    }

    [Fact]
    public void OperationsSettings_HaveDocumentedDefaults()
    {
        var options = TestSettings.Read();

        Assert.Equal(9092, options.Management.Port);
        Assert.Null(options.Management.Address);
        Assert.Equal(TimeSpan.FromSeconds(10), options.Management.ReadinessInterval);
        Assert.Equal(TimeSpan.Zero, options.Management.DrainDelay);
        Assert.Equal(TimeSpan.FromSeconds(30), options.Management.ShutdownTimeout);
        Assert.Equal(LogFormat.Text, options.Log.Format);
        Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Information, options.Log.Level);
        Assert.Equal(TimeSpan.FromSeconds(30), options.Client.HeaderTimeout);
        Assert.Equal(TimeSpan.FromSeconds(120), options.Client.IdleTimeout);
    }

    [Fact]
    public void OperationsSettings_AreRead()
    {
        var options = TestSettings.Read(("MANAGEMENT_PORT", "0"), ("READINESS_INTERVAL", "0"), ("DRAIN_DELAY", "5"),
            ("SHUTDOWN_TIMEOUT", "12"), ("LOG_FORMAT", "JSON"), ("LOG_LEVEL", "debug"), ("CLIENT_HEADER_TIMEOUT", "7"));

        Assert.Equal(0, options.Management.Port);
        Assert.False(options.Management.ReadinessProbing);
        Assert.Equal(TimeSpan.FromSeconds(5), options.Management.DrainDelay);
        Assert.Equal(TimeSpan.FromSeconds(12), options.Management.ShutdownTimeout);
        Assert.Equal(LogFormat.Json, options.Log.Format);
        Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Debug, options.Log.Level);
        Assert.Equal(TimeSpan.FromSeconds(7), options.Client.HeaderTimeout);
    }

    [Fact]
    public void InsecureSkipVerify_IsAnExplicitChoice()
    {
        Assert.True(TestSettings.Read(("UPSTREAM_TLS_INSECURE_SKIP_VERIFY", "true")).Tls.SkipVerification);
    }
}
