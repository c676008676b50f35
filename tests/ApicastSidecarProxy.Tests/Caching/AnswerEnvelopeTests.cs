using System.Text;
using ApicastSidecarProxy.Caching;

namespace ApicastSidecarProxy.Tests.Caching;

public class AnswerEnvelopeTests
{
    private static readonly StoredAnswer Answer = new(
        [new("Content-Type", "application/json"), new("Content-Encoding", "gzip")],
        TestAnswers.Body("""{"proxy_configs":[{"backend_authentication_value":"secret-provider-key"}]}"""),
        new DateTimeOffset(2026, 12, 6, 10, 0, 0, 123, TimeSpan.Zero));

    [Fact]
    public void Sealed_OpensToTheSameAnswer()
    {
        var key = TestAnswers.Key();

        var opened = AnswerEnvelope.Open(AnswerEnvelope.Seal(Answer, key), key);

        Assert.NotNull(opened);
        Assert.Equal(Answer.Body, opened.Body);
        Assert.Equal(Answer.Headers, opened.Headers);
        Assert.Equal(Answer.StoredAt, opened.StoredAt);
    }

    [Fact]
    public void Sealed_HoldsNoPlaintext()
    {
        var sealedText = Encoding.UTF8.GetString(AnswerEnvelope.Seal(Answer, TestAnswers.Key()));

        Assert.DoesNotContain("secret-provider-key", sealedText);
        Assert.DoesNotContain("proxy_configs", sealedText);
        Assert.DoesNotContain("application/json", sealedText);
    }

    [Fact]
    public void SealingTwice_GivesDifferentBytes()
    {
        var key = TestAnswers.Key();

        Assert.NotEqual(AnswerEnvelope.Seal(Answer, key), AnswerEnvelope.Seal(Answer, key));
    }

    [Fact]
    public void AnotherTokensKey_DoesNotOpenIt()
    {
        var sealedBytes = AnswerEnvelope.Seal(Answer, TestAnswers.Key());

        Assert.Null(AnswerEnvelope.Open(sealedBytes, TestAnswers.Key(credentials: TestAnswers.OtherToken)));
    }

    [Fact]
    public void AnotherEntrysKey_SameToken_DoesNotOpenIt()
    {
        var sealedBytes = AnswerEnvelope.Seal(Answer, TestAnswers.Key());

        Assert.Null(AnswerEnvelope.Open(sealedBytes, TestAnswers.Key(target: "/admin/api/services.json?page=1&per_page=500")));
    }

    [Theory]
    [InlineData(0)]    // the magic
    [InlineData(10)]   // the nonce
    [InlineData(20)]   // the tag
    [InlineData(40)]   // the ciphertext
    public void OneFlippedBit_DoesNotOpen(int position)
    {
        var key = TestAnswers.Key();
        var sealedBytes = AnswerEnvelope.Seal(Answer, key);
        sealedBytes[position] ^= 0x01;

        Assert.Null(AnswerEnvelope.Open(sealedBytes, key));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(31)]
    [InlineData(50)]
    public void Truncated_DoesNotOpen(int length)
    {
        var key = TestAnswers.Key();

        Assert.Null(AnswerEnvelope.Open(AnswerEnvelope.Seal(Answer, key).AsSpan(0, length), key));
    }
}
