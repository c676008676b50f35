using System.Net;
using System.Net.Sockets;
using ApicastSidecarProxy.FunctionalTests.Infrastructure;

namespace ApicastSidecarProxy.FunctionalTests.Startup;

/// <summary>Start-up either succeeds completely, with a masked summary of the configuration, or fails with one clear line.</summary>
[Collection(ProxyChainCollection.Name)]
public class StartupTests(ProxyChainFixture chain)
{
    [Theory]
    [InlineData("PORTAL_LISTEN_PORT", "abc")]
    [InlineData("BACKEND_ENDPOINT_OVERRIDE", "not a url")]
    [InlineData("https_proxy", "socks5h://u:secret-in-url@proxy:1080")]
    [InlineData("NO_PROXY", "10.0.0.0/99")]
    public async Task BadVariable_ExitsWithCode1_AndOneLineNamingIt(string variable, string value)
    {
        var environment = chain.SidecarEnvironment(chain.Tinyproxy);
        environment[variable] = value;

        var (exitCode, sidecar) = await SidecarProcess.RunUntilExitAsync(environment);
        await using var _ = sidecar;

        Assert.Equal(1, exitCode);
        var line = Assert.Single(sidecar.OutputLines);
        Assert.StartsWith($"apicast-sidecar-proxy: configuration error: {variable}: ", line);
        Assert.DoesNotContain("secret-in-url", line);
    }

    [Fact]
    public async Task Flags_OverrideTheEnvironment()
    {
        var environment = chain.SidecarEnvironment(chain.Tinyproxy);
        environment["PORTAL_LISTEN_PORT"] = "not-a-port";

        await using var sidecar = await SidecarProcess.StartAsync(environment, "--PORTAL_LISTEN_PORT=0");
        using var client = TestHttpClients.Direct();
        using var response = await client.GetAsync(new Uri(sidecar.PortalUri, "/admin/api/accounts.xml"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Theory]
    [InlineData("--version", "apicast-sidecar-proxy 0.")]
    [InlineData("--help", "Usage:")]
    public async Task VersionAndHelp_PrintAndExitZero_WithoutConfiguration(string flag, string expected)
    {
        var (exitCode, sidecar) = await SidecarProcess.RunUntilExitAsync(new Dictionary<string, string>(), flag);
        await using var _ = sidecar;

        Assert.Equal(0, exitCode);
        Assert.Contains(expected, sidecar.Output);
    }

    [Theory]
    [InlineData("check", "--help")]
    [InlineData("--help", "--LOG_LEVEL=debug")]
    [InlineData("--LOG_LEVEL=debug", "-h")]
    public async Task HelpAnywhere_PrintsHelp_InsteadOfRunning(params string[] args)
    {
        var (exitCode, sidecar) = await SidecarProcess.RunUntilExitAsync(chain.SidecarEnvironment(chain.Tinyproxy), args);
        await using var _ = sidecar;

        Assert.Equal(0, exitCode);
        Assert.Contains("Usage:", sidecar.Output);
        Assert.DoesNotContain("listening", sidecar.Output);
    }

    [Fact]
    public async Task UnknownFlag_ExitsWithCode1_NamingIt()
    {
        var (exitCode, sidecar) = await SidecarProcess.RunUntilExitAsync(chain.SidecarEnvironment(chain.Tinyproxy),
            "--PORTAL_LISTEN_PORTT=1");
        await using var _ = sidecar;

        Assert.Equal(1, exitCode);
        Assert.Contains("configuration error: command line: unknown setting --PORTAL_LISTEN_PORTT", sidecar.Output);
    }

    [Fact]
    public async Task MissingPortalEndpoint_ExitsWithCode1()
    {
        var environment = chain.SidecarEnvironment(chain.Tinyproxy);
        environment.Remove("THREESCALE_PORTAL_ENDPOINT");

        var (exitCode, sidecar) = await SidecarProcess.RunUntilExitAsync(environment);
        await using var _ = sidecar;

        Assert.Equal(1, exitCode);
        Assert.Contains("THREESCALE_PORTAL_ENDPOINT: is required", sidecar.Output);
    }

    [Fact]
    public async Task PortInUse_ExitsNonZero_WithoutServingTheOtherRoute()
    {
        using var occupant = new TcpListener(IPAddress.Loopback, 0);
        occupant.Start();
        var environment = chain.SidecarEnvironment(chain.Tinyproxy);
        environment["BACKEND_LISTEN_PORT"] = ((IPEndPoint)occupant.LocalEndpoint).Port.ToString();

        var (exitCode, sidecar) = await SidecarProcess.RunUntilExitAsync(environment);
        await using var _ = sidecar;

        Assert.Equal(2, exitCode);
        Assert.Single(sidecar.OutputLines, line => line.Contains("cannot start: Failed to bind to address"));
        Assert.DoesNotContain("listening listener=", sidecar.Output);
        // The one promised line, not the framework's "Hosting failed to start" with its stack trace first.
        Assert.DoesNotContain("Hosting failed to start", sidecar.Output);
        Assert.DoesNotContain(sidecar.OutputLines, line => line.StartsWith("   at ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AddressNotOnThisHost_ExitsNonZero_WithOneClearLine()
    {
        var environment = chain.SidecarEnvironment(chain.Tinyproxy);
        environment["LISTEN_ADDRESS"] = "192.0.2.1"; // TEST-NET-1: never a local address; nothing is sent

        var (exitCode, sidecar) = await SidecarProcess.RunUntilExitAsync(environment);
        await using var _ = sidecar;

        Assert.NotEqual(0, exitCode);
        Assert.Contains("cannot start", sidecar.Output);
        Assert.DoesNotContain("Unhandled exception", sidecar.Output);
    }

    [Fact]
    public async Task StartupLog_DescribesTheConfiguration_WithSecretsMasked()
    {
        var environment = chain.SidecarEnvironment(chain.Squid);
        environment["THREESCALE_PORTAL_ENDPOINT"] = $"https://startup-access-t0ken@{chain.Upstream.HostPort}";
        environment.Remove("BACKEND_ENDPOINT_OVERRIDE");
        environment["NO_PROXY"] = "internal.example,10.0.0.0/8";
        environment["UPSTREAM_MAX_CONNECTIONS"] = "16";

        await using var sidecar = await SidecarProcess.StartAsync(environment);

        var output = sidecar.Output;
        Assert.DoesNotContain("startup-access-t0ken", output);
        Assert.DoesNotContain(ProxyChainFixture.SquidPassword, output);
        Assert.DoesNotContain(Uri.EscapeDataString(ProxyChainFixture.SquidPassword), output);
        Assert.Contains($"route=portal upstream=https://***@{chain.Upstream.HostPort}/", output);
        Assert.Contains("the backend route uses the 3scale SaaS default https://su1.3scale.net", output);
        Assert.Contains($"proxy={chain.Squid.ProxyUri} (from https_proxy) credentials: user {ProxyChainFixture.SquidUser}, password set", output);
        Assert.Contains("no_proxy=internal.example,10.0.0.0/8", output);
        Assert.Contains("at most 16 connection(s) open at once per upstream (UPSTREAM_MAX_CONNECTIONS); each route sends 16 request(s) at once (UPSTREAM_CONCURRENCY_FLOOR)", output);
    }

    [Fact]
    public async Task DisabledVerification_IsWarnedAtStart_AndAcceptsAnyCertificate()
    {
        var environment = chain.SidecarEnvironment(chain.Tinyproxy);
        environment.Remove("UPSTREAM_CA_FILE");
        environment["UPSTREAM_TLS_INSECURE_SKIP_VERIFY"] = "true";
        await using var sidecar = await SidecarProcess.StartAsync(environment);
        using var client = TestHttpClients.Direct();

        using var response = await client.GetAsync(new Uri(sidecar.BackendUri, "/transactions/authorize.xml"));

        Assert.Contains(sidecar.OutputLines, line => line.Contains("warn:") && line.Contains("NOT verified"));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }
}
