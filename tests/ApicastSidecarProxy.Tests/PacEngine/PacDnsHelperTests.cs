using System.Net;
using ApicastSidecarProxy.PacEngine;

namespace ApicastSidecarProxy.Tests.PacEngine;

public class PacDnsHelperTests
{
    private readonly FakePacDns _dns = new(new() { ["api.example.com"] = "10.20.30.40", ["v6.example.com"] = "fd00::1" }, "192.168.7.8");

    private string Evaluate(string expression) => PacTestScripts.Evaluate(expression, new PacScriptOptions { Dns = _dns });

    [Theory]
    [InlineData("dnsResolve('api.example.com')", "10.20.30.40")]
    [InlineData("dnsResolve('unknown.example.com')", "null")]
    [InlineData("dnsResolve()", "null")]
    [InlineData("dnsResolve(42)", "null")]
    [InlineData("isResolvable('api.example.com')", "true")]
    [InlineData("isResolvable('unknown.example.com')", "false")]
    [InlineData("myIpAddress()", "192.168.7.8")]
    [InlineData("isInNet('api.example.com', '10.20.0.0', '255.255.0.0')", "true")]
    [InlineData("isInNet('api.example.com', '10.21.0.0', '255.255.0.0')", "false")]
    [InlineData("isInNet('10.20.30.40', '10.20.30.40', '255.255.255.255')", "true")]
    [InlineData("isInNet('unknown.example.com', '0.0.0.0', '0.0.0.0')", "false")]
    [InlineData("isInNet('v6.example.com', '0.0.0.0', '0.0.0.0')", "false")]
    [InlineData("isInNet('10.20.30.40', '10.20.0.0', 'garbage')", "false")]
    [InlineData("isInNet('300.1.1.1', '0.0.0.0', '0.0.0.0')", "false")]
    public void DnsHelpers_UseTheResolver(string expression, string expected)
    {
        Assert.Equal(expected, Evaluate(expression));
    }

    [Fact]
    public void IsInNet_DoesNotResolveAnAddress()
    {
        Evaluate("isInNet('10.20.30.40', '10.0.0.0', '255.0.0.0')");

        Assert.Empty(_dns.LookedUp);
    }

    [Fact]
    public void IsInNet_KeepsTheHostsDnsResolve_WhenTheScriptRedefinesIt()
    {
        using var script = PacScript.Compile("""
            function dnsResolve(host) { return '1.1.1.1'; }
            function FindProxyForURL(url, host) { return String(isInNet('api.example.com', '10.20.0.0', '255.255.0.0')); }
            """, new PacScriptOptions { Dns = _dns });

        Assert.Equal("true", script.FindProxyForUrl("http://x/", "x"));
    }

    [Fact]
    public void SystemPacDns_ResolvesLiteralsAndLocalhost_AndFailsClosed()
    {
        var dns = SystemPacDns.Instance;

        Assert.Equal(IPAddress.Parse("10.0.0.1"), dns.Resolve("10.0.0.1"));
        Assert.True(IPAddress.IsLoopback(dns.Resolve("localhost")!));
        Assert.Null(dns.Resolve("no-such-host.invalid"));
        Assert.Null(dns.Resolve(""));
        Assert.NotNull(dns.MyIpAddress());
        Assert.Equal(System.Net.Sockets.AddressFamily.InterNetwork, dns.MyIpAddress().AddressFamily);
    }
}
