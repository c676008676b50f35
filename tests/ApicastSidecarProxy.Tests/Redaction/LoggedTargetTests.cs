using ApicastSidecarProxy.Redaction;

namespace ApicastSidecarProxy.Tests.Redaction;

public class LoggedTargetTests
{
    [Theory]
    [InlineData("/x\rFORGED?user_key=k", "/x%0DFORGED?user_key=***")]
    [InlineData("/a\tb\u001bc\u007f", "/a%09b%1Bc%7F")]
    [InlineData("/a?user_key=k", "/a?user_key=***")]
    public void SecretsAreMasked_AndControlCharactersEscaped(string target, string expected)
    {
        Assert.Equal(expected, LoggedTarget.From(target));

        Span<char> destination = stackalloc char[64];
        Assert.True(LoggedTarget.TryWrite(target, destination, out var written));
        Assert.Equal(expected, destination[..written].ToString());
        Assert.False(LoggedTarget.TryWrite(target, destination[..(written - 1)], out _));
    }

    [Fact]
    public void ATargetWithNothingToChange_IsReturnedAsIs()
    {
        const string target = "/transactions/authrep.xml?service_id=42";

        Assert.Same(target, LoggedTarget.From(target));
    }
}
