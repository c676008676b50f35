using System.Net;
using ApicastSidecarProxy.FunctionalTests.Failures;
using ApicastSidecarProxy.FunctionalTests.Infrastructure;

namespace ApicastSidecarProxy.FunctionalTests.EnterpriseProxies;

/// <summary>The README's two checks (portal 403 "Access denied", backend 403 provider_key_or_service_token_required), asserted.</summary>
public static class ReadmeCheck
{
    public static async Task AssertBothRoutesPassAsync(SidecarProcess sidecar)
    {
        using var client = TestHttpClients.Direct();

        using var portal = await client.GetAsync(new Uri(sidecar.PortalUri, "/admin/api/accounts.xml"));
        var portalBody = await portal.Content.ReadAsStringAsync();
        Assert.True(portal.StatusCode == HttpStatusCode.Forbidden && portalBody.Contains("Access denied"),
            $"portal check: {(int)portal.StatusCode} {portalBody}\nsidecar output:\n{sidecar.Output}");

        using var backend = await client.GetAsync(new Uri(sidecar.BackendUri, "/transactions/authorize.xml"));
        var backendBody = await backend.Content.ReadAsStringAsync();
        Assert.True(backend.StatusCode == HttpStatusCode.Forbidden && backendBody.Contains("provider_key_or_service_token_required"),
            $"backend check: {(int)backend.StatusCode} {backendBody}\nsidecar output:\n{sidecar.Output}");
    }

    /// <summary>Starts a sidecar with <paramref name="environment"/>, asks the portal route once, and returns its error answer.</summary>
    public static async Task<(SidecarErrorAnswer Answer, string SidecarOutput)> FailingPortalCheckAsync(
        Dictionary<string, string> environment)
    {
        await using var sidecar = await SidecarProcess.StartAsync(environment);
        using var client = TestHttpClients.Direct();
        using var response = await client.GetAsync(new Uri(sidecar.PortalUri, "/admin/api/accounts.xml"));
        var answer = await SidecarErrorAnswer.ReadAsync(response);
        await sidecar.WaitForAccessLogAsync(answer.Code);
        await sidecar.DisposeAsync();
        return (answer, sidecar.Output);
    }
}
