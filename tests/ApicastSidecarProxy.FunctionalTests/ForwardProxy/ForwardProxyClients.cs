using ApicastSidecarProxy.FunctionalTests.Infrastructure;

namespace ApicastSidecarProxy.FunctionalTests.ForwardProxy;

/// <summary>Real clients of the forward listener, as APIcast's environment would point them at it.</summary>
public static class ForwardProxyClients
{
    /// <summary>Turns the forward listener on, allowing the upstream of <paramref name="chain"/>.</summary>
    public static Dictionary<string, string> WithForwardListener(Dictionary<string, string> environment, ProxyChainFixture chain)
    {
        environment["FORWARD_PROXY_PORT"] = "0";
        environment["FORWARD_PROXY_ALLOW"] = chain.Upstream.HostPort;
        return environment;
    }

    /// <summary>curl through the forward listener to the upstream's portal check: 403 "Access denied", its certificate verified.</summary>
    public static async Task AssertTunnelToTheUpstreamAsync(SidecarProcess sidecar, ProxyChainFixture chain)
    {
        var answer = await CurlAsync(sidecar, chain.Upstream.Url("/admin/api/accounts.xml").ToString(), chain.Ca);

        Assert.EndsWith("\n403 0", answer);
        Assert.Contains("Access denied", answer);
    }

    /// <summary>curl -x FORWARD URL, trusting only the test CA; returns "STATUS SSL_VERIFY_RESULT\nBODY".</summary>
    public static Task<string> CurlAsync(SidecarProcess sidecar, string url, TestCertificateAuthority ca) =>
        CommandLineTool.RunAsync(ExecutableLocator.Find("curl", "Install it: apt-get install curl."),
        [
            "-sS", "--max-time", "20", "-x", sidecar.Route("forward").ToString(), "--cacert", ca.CaPemPath,
            "-w", "\n%{http_code} %{ssl_verify_result}", url,
        ]);

    /// <summary>
    /// Python's urllib with HTTPS_PROXY, the way APIcast's OIDC discovery fetches an issuer: the discovery document,
    /// then the JWKS it names. Prints the key ids.
    /// </summary>
    public static Task<string> OidcDiscoveryAsync(SidecarProcess sidecar, Uri issuer, TestCertificateAuthority ca) =>
        CommandLineTool.RunAsync(ExecutableLocator.Find("python3", "Install it: apt-get install python3."),
            ["-c", """
                import json, os, ssl, sys, urllib.request
                context = ssl.create_default_context(cafile=os.environ["TEST_CA"])
                opener = urllib.request.build_opener(urllib.request.ProxyHandler(), urllib.request.HTTPSHandler(context=context))
                discovery = json.load(opener.open(sys.argv[1] + "/.well-known/openid-configuration", timeout=20))
                keys = json.load(opener.open(discovery["jwks_uri"], timeout=20))
                print(" ".join(key["kid"] for key in keys["keys"]))
                """, issuer.ToString().TrimEnd('/')],
            new Dictionary<string, string>
            {
                ["HTTPS_PROXY"] = sidecar.Route("forward").ToString(),
                ["https_proxy"] = sidecar.Route("forward").ToString(),
                ["NO_PROXY"] = "",
                ["no_proxy"] = "",
                ["TEST_CA"] = ca.CaPemPath,
            });
}
