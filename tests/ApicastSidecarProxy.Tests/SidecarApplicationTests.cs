namespace ApicastSidecarProxy.Tests;

public class SidecarApplicationTests
{
    [Fact]
    public async Task AStartCancelledByASignal_IsACleanStop()
    {
        using var stopping = new CancellationTokenSource();
        stopping.Cancel(); // SIGTERM arrived while the host was starting: the host's start token is linked to it

        var started = await SidecarApplication.StartUnlessStoppedAsync(
            () => Task.FromCanceled(stopping.Token), stopping.Token);

        Assert.False(started);
    }

    [Fact]
    public async Task AStart_IsReported()
    {
        Assert.True(await SidecarApplication.StartUnlessStoppedAsync(() => Task.CompletedTask, CancellationToken.None));
    }

    [Fact]
    public async Task ACancellationWithoutASignal_IsNotSwallowed()
    {
        await Assert.ThrowsAsync<OperationCanceledException>(() => SidecarApplication.StartUnlessStoppedAsync(
            () => throw new OperationCanceledException(), CancellationToken.None));
    }
}
