using System.Net;
using System.Security.Cryptography;
using ApicastSidecarProxy.FunctionalTests.Infrastructure;
using Xunit.Abstractions;

namespace ApicastSidecarProxy.FunctionalTests.Forwarding;

/// <summary>Bodies stream through both ways: a 50 MB upload and download arrive intact without the sidecar holding them.</summary>
[Collection(ProxyChainCollection.Name)]
public class LargeBodyTests(ProxyChainFixture chain, ITestOutputHelper output)
{
    private const long FiftyMegabytes = 50L * 1024 * 1024;

    // Holding one 50 MB body in memory would raise the peak by at least that much.
    private const long MaxPeakGrowthBytes = 40L * 1024 * 1024;

    [Fact]
    public async Task FiftyMegabyteUploadAndDownload_ArriveIntact_WithFlatMemory()
    {
        await using var sidecar = await SidecarProcess.StartAsync(chain.SidecarEnvironment(chain.Tinyproxy));
        using var client = TestHttpClients.Direct();
        using (var warmUp = await client.GetAsync(new Uri(sidecar.BackendUri, "/transactions/authorize.xml")))
        {
            Assert.Equal(HttpStatusCode.Forbidden, warmUp.StatusCode);
        }

        var residentBefore = ProcessMemory.ResidentBytes(sidecar.Pid);

        using var upload = await client.PostAsync(new Uri(sidecar.BackendUri, "/upload"),
            new StreamContent(new DeterministicStream(FiftyMegabytes)));
        var uploadAnswer = await upload.Content.ReadAsStringAsync();

        using var download = await client.GetAsync(new Uri(sidecar.PortalUri, $"/download?bytes={FiftyMegabytes}"),
            HttpCompletionOption.ResponseHeadersRead);
        await using var body = await download.Content.ReadAsStreamAsync();
        var downloadHash = Convert.ToHexStringLower(await SHA256.HashDataAsync(body));

        var peak = ProcessMemory.PeakResidentBytes(sidecar.Pid);
        output.WriteLine($"sidecar RSS before {residentBefore / 1048576} MiB, peak after 2 x 50 MiB {peak / 1048576} MiB");
        Assert.Equal(HttpStatusCode.OK, upload.StatusCode);
        Assert.Equal($"{DeterministicStream.Sha256Hex(FiftyMegabytes)} {FiftyMegabytes}", uploadAnswer);
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal(FakeThreescaleUpstream.ExpectedDownloadSha256(FiftyMegabytes), downloadHash);
        Assert.True(peak - residentBefore < MaxPeakGrowthBytes,
            $"peak RSS grew by {(peak - residentBefore) / 1048576} MiB while streaming 50 MiB bodies");
    }
}
