using ApicastSidecarProxy.Redaction;

namespace ApicastSidecarProxy.Tests.Redaction;

public class QueryRedactorTests
{
    [Theory]
    [InlineData("/a", "", "/a")]
    [InlineData("/a", null, "/a")]
    [InlineData("/transactions/authrep.xml", "?service_id=42&usage%5Bhits%5D=1",
        "/transactions/authrep.xml?service_id=42&usage%5Bhits%5D=1")]
    [InlineData("/transactions/authrep.xml", "?service_token=T0K&service_id=42&user_key=K3Y&usage%5Bhits%5D=1",
        "/transactions/authrep.xml?service_token=***&service_id=42&user_key=***&usage%5Bhits%5D=1")]
    [InlineData("/a", "?access_token=x", "/a?access_token=***")]
    [InlineData("/a", "?provider_key=x&app_id=id&app_key=secret", "/a?provider_key=***&app_id=id&app_key=***")]
    [InlineData("/a", "?USER_KEY=x", "/a?USER_KEY=***")]
    [InlineData("/a", "?user%5Fkey=x", "/a?user%5Fkey=***")]
    [InlineData("/a", "?my_user_key=x&user_key", "/a?my_user_key=x&user_key")]
    [InlineData("/a", "?a=1&&user_key=&b", "/a?a=1&&user_key=***&b")]
    [InlineData("/a", "?service_id=1;user_key=S;b=2", "/a?service_id=1;user_key=***;b=2")]
    [InlineData("/a", "?usage%5Bhits%5D=1&app_id=x", "/a?usage%5Bhits%5D=1&app_id=x")]
    [InlineData("/a", "?", "/a?")]
    [InlineData("/a", "?user_key=", "/a?user_key=***")]
    [InlineData("/a", "?x=1&", "/a?x=1&")]
    [InlineData("/a", "?x=?user_key=1", "/a?x=?user_key=1")]
    [InlineData("/a", "?%75%73%65%72%5F%6B%65%79=k", "/a?%75%73%65%72%5F%6B%65%79=***")]
    [InlineData("/a", "?user%5fKEY=k&user%4=x&user%ZZkey=y", "/a?user%5fKEY=***&user%4=x&user%ZZkey=y")]
    public void SecretValuesAreMasked_OthersKeptAsSent(string path, string? query, string expected)
    {
        Assert.Equal(expected, QueryRedactor.RedactTarget(path + query));
    }

    [Theory]
    [InlineData("/a%2Fb/c", "/a%2Fb/c")]
    [InlineData("/t?user_key=k&x=1", "/t?user_key=***&x=1")]
    [InlineData("http://other.example/?access_token=t", "http://other.example/?access_token=***")]
    [InlineData("http://user:s3cret@other.example/", "http://***@other.example/")]
    [InlineData("https://t0ken@other.example?user_key=k", "https://***@other.example?user_key=***")]
    [InlineData("http://other.example/a@b", "http://other.example/a@b")]
    [InlineData("/r?to=http://user:pw@x/", "/r?to=http://user:pw@x/")]
    public void RawTargets_AreRedactedAsSent(string target, string expected)
    {
        Assert.Equal(expected, QueryRedactor.RedactTarget(target));
    }

    [Theory]
    [InlineData("/transactions/authrep.xml?service_id=42&usage%5Bhits%5D=1")]
    [InlineData("/a")]
    [InlineData("/a?")]
    public void ATargetWithNothingToMask_IsReturnedAsIs_WithoutAllocating(string target)
    {
        Assert.Same(target, QueryRedactor.RedactTarget(target)); // also the first call, which may compile the code
        var before = GC.GetAllocatedBytesForCurrentThread();

        var redacted = QueryRedactor.RedactTarget(target);

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Same(target, redacted);
    }

    [Fact]
    public void ATargetWithSecrets_AllocatesOnlyTheRedactedString()
    {
        const string target = "/transactions/authrep.xml?service_token=T0K&service_id=42&user_key=K3Y&usage%5Bhits%5D=1";
        QueryRedactor.RedactTarget(target); // the first call may compile the code
        var before = GC.GetAllocatedBytesForCurrentThread();

        var redacted = QueryRedactor.RedactTarget(target);

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal("/transactions/authrep.xml?service_token=***&service_id=42&user_key=***&usage%5Bhits%5D=1", redacted);
        Assert.InRange(allocated, 1, StringSize(redacted.Length));
    }

    [Theory]
    [InlineData("/t?user_key=k&x=1")]
    [InlineData("https://t0ken@other.example?user_key=k")]
    [InlineData("/a")]
    public void TryRedactTarget_WritesWhatRedactTargetReturns(string target)
    {
        Span<char> destination = stackalloc char[64];

        Assert.True(QueryRedactor.TryRedactTarget(target, destination, out var written));
        Assert.Equal(QueryRedactor.RedactTarget(target), destination[..written].ToString());
        Assert.False(QueryRedactor.TryRedactTarget(target, destination[..(written - 1)], out _));
    }

    // A string's size on the heap: object header and method table, length, the characters and a terminating NUL, padded.
    private static long StringSize(int length) => (8 + 8 + 4 + 2 * (length + 1) + 7) / 8 * 8;
}
