using System.IO.Pipes;
using ApicastSidecarProxy.Logging;

namespace ApicastSidecarProxy.Tests.Logging;

public class FileDescriptorOutputStreamTests
{
    [Fact]
    public void Bytes_ReachTheDescriptor()
    {
        using var pipe = new AnonymousPipeServerStream(PipeDirection.Out);
        using var reader = new AnonymousPipeClientStream(PipeDirection.In, pipe.ClientSafePipeHandle);
        var stream = new FileDescriptorOutputStream((int)pipe.SafePipeHandle.DangerousGetHandle());

        stream.Write("line\n"u8);

        var received = new byte[5];
        reader.ReadExactly(received);
        Assert.Equal("line\n"u8.ToArray(), received);
    }

    [Fact]
    public void APipeWhoseReaderIsGone_FailsTheWrite()
    {
        // .NET's console stream reports this write as a success; the lost lines could then not be counted.
        using var pipe = new AnonymousPipeServerStream(PipeDirection.Out);
        new AnonymousPipeClientStream(PipeDirection.In, pipe.ClientSafePipeHandle).Dispose();
        pipe.DisposeLocalCopyOfClientHandle();
        var stream = new FileDescriptorOutputStream((int)pipe.SafePipeHandle.DangerousGetHandle());

        var error = Assert.Throws<IOException>(() => stream.Write("lost\n"u8));

        Assert.Equal(32, error.HResult); // EPIPE
    }
}
