using ApicastSidecarProxy.Observability;

namespace ApicastSidecarProxy.Tests.Observability;

public class TraceParentTests
{
    [Theory]
    [InlineData("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", "4bf92f3577b34da6a3ce929d0e0e4736")]
    [InlineData("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00-future", "4bf92f3577b34da6a3ce929d0e0e4736")]
    public void TheTraceId_IsReadFromAW3CTraceparent(string header, string traceId)
    {
        Assert.True(TraceParent.TryGetTraceId(header, out var read));
        Assert.Equal(traceId, read.ToString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7")] // no flags
    [InlineData("00-00000000000000000000000000000000-00f067aa0ba902b7-01")] // the invalid all-zero id
    [InlineData("00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01")] // upper case
    [InlineData("00-4bf92f3577b34da6a3ce929d0e0e473\n-00f067aa0ba902b7-01")] // a line break
    [InlineData("ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")] // the forbidden version
    [InlineData("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-x")] // version 00 has nothing after the flags
    [InlineData("00_4bf92f3577b34da6a3ce929d0e0e4736_00f067aa0ba902b7_01")]
    public void AMalformedTraceparent_GivesNoTraceId(string? header)
    {
        Assert.False(TraceParent.TryGetTraceId(header, out _));
    }
}
