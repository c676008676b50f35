using System.Runtime.InteropServices;

namespace ApicastSidecarProxy.Logging;

/// <summary>
/// Writes to a Linux file descriptor (stdout) with write(2). .NET's console stream reports a write to a pipe whose
/// reader has gone (EPIPE) as a success, so lines written after a log collector died would vanish without being
/// counted; this stream throws an <see cref="IOException"/> instead, which the batch writer counts as dropped lines.
/// Like the console stream, it waits on a non-blocking descriptor (EAGAIN) and retries an interrupted write (EINTR).
/// </summary>
public sealed partial class FileDescriptorOutputStream(int fileDescriptor) : Stream
{
    private const int Interrupted = 4; // EINTR
    private const int WouldBlock = 11; // EAGAIN
    private const short PollOut = 4; // POLLOUT

    /// <summary>stdout: this stream on Linux when libc's write can be called, the console's otherwise.</summary>
    public static Stream StandardOutput()
    {
        if (OperatingSystem.IsLinux())
        {
            try
            {
                WriteSystemCall(1, [], 0); // resolves the import now: a libc it cannot find keeps the console stream
                return new FileDescriptorOutputStream(1);
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
            {
            }
        }

        return Console.OpenStandardOutput();
    }

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        while (!buffer.IsEmpty)
        {
            var written = WriteSystemCall(fileDescriptor, buffer, (nuint)buffer.Length);
            if (written >= 0)
            {
                buffer = buffer[(int)written..];
                continue;
            }

            var error = Marshal.GetLastPInvokeError();
            if (error == WouldBlock)
            {
                var poll = new PollDescriptor { FileDescriptor = fileDescriptor, Events = PollOut };
                PollSystemCall(ref poll, 1, -1);
            }
            else if (error != Interrupted)
            {
                throw new IOException($"cannot write to file descriptor {fileDescriptor}: {Marshal.GetPInvokeErrorMessage(error)}", error);
            }
        }
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    [StructLayout(LayoutKind.Sequential)]
    private struct PollDescriptor
    {
        public int FileDescriptor;
        public short Events;
        public short ReturnedEvents;
    }

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    private static partial nint WriteSystemCall(int fileDescriptor, ReadOnlySpan<byte> buffer, nuint count);

    [LibraryImport("libc", EntryPoint = "poll", SetLastError = true)]
    private static partial int PollSystemCall(ref PollDescriptor descriptors, nuint count, int timeoutMilliseconds);
}
