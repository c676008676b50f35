using ApicastSidecarProxy.Caching;

namespace ApicastSidecarProxy.Tests.Caching;

public class ResponseRecorderTests
{
    private static readonly byte[] Previous = TestAnswers.Body("0123456789abcdefghij");

    [Fact]
    public async Task SameBody_InAnyChunks_IsSameAsPrevious_AndPassesThrough()
    {
        var client = new MemoryStream();
        var recorder = new ResponseRecorder(client, Previous, 1000, () => null);

        await recorder.WriteAsync(Previous.AsMemory(0, 7));
        recorder.Write(Previous, 7, 13);

        Assert.True(recorder.SameAsPrevious);
        Assert.Null(recorder.ChangedBody());
        Assert.Equal(Previous, client.ToArray());
    }

    [Theory]
    [InlineData("0123456789ABCDEFGHIJ")]
    [InlineData("0123456789")]
    [InlineData("0123456789abcdefghij-and-more")]
    [InlineData("")]
    public async Task ChangedBody_IsKeptWhole(string text)
    {
        var body = TestAnswers.Body(text);
        var recorder = new ResponseRecorder(new MemoryStream(), Previous, 1000, () => null);

        for (var offset = 0; offset < body.Length; offset += 6)
        {
            await recorder.WriteAsync(body.AsMemory(offset, Math.Min(6, body.Length - offset)));
        }

        Assert.False(recorder.SameAsPrevious);
        Assert.Equal(body, recorder.ChangedBody());
    }

    [Fact]
    public async Task WithoutAPreviousBody_TheBodyIsKept_SizedByContentLength()
    {
        var body = new byte[50_000];
        Random.Shared.NextBytes(body);
        var recorder = new ResponseRecorder(new MemoryStream(), null, 100_000, () => body.Length);

        for (var offset = 0; offset < body.Length; offset += 4096)
        {
            await recorder.WriteAsync(body.AsMemory(offset, Math.Min(4096, body.Length - offset)));
        }

        Assert.Equal(body, recorder.ChangedBody());
    }

    [Fact]
    public async Task BodyOverTheLimit_IsNotKept_ButStillPassesThrough()
    {
        var client = new MemoryStream();
        var recorder = new ResponseRecorder(client, null, 10, () => null);

        await recorder.WriteAsync(TestAnswers.Body("0123456789"));
        await recorder.WriteAsync(TestAnswers.Body("x"));

        Assert.True(recorder.TooLarge);
        Assert.Null(recorder.ChangedBody());
        Assert.Equal(11, client.Length);
    }
}
