using ApicastSidecarProxy.Caching;

namespace ApicastSidecarProxy.Tests.Caching;

public class AnswerKeyDerivationTests
{
    private readonly AnswerKeyDerivation _keys = new();

    [Fact]
    public void SameRequestAndCredentials_SameKey()
    {
        var first = _keys.For(TestAnswers.Token, TestAnswers.Target, "gzip");
        var second = new AnswerKeyDerivation().For(TestAnswers.Token, TestAnswers.Target, "gzip");

        Assert.Equal(first.Id, second.Id);
        Assert.Equal(first.EncryptionKey, second.EncryptionKey);
    }

    [Fact]
    public void AnotherToken_AnotherIdAndAnotherEncryptionKey()
    {
        var first = _keys.For(TestAnswers.Token, TestAnswers.Target, "");
        var other = _keys.For(TestAnswers.OtherToken, TestAnswers.Target, "");

        Assert.NotEqual(first.Id, other.Id);
        Assert.NotEqual(first.EncryptionKey, other.EncryptionKey);
    }

    [Theory]
    [InlineData(TestAnswers.Target + "&host=api.example.com", "")]
    [InlineData("/admin/api/account/proxy_configs/production.json?page=1&version=latest&per_page=500", "")]
    [InlineData(TestAnswers.Target, "gzip")]
    public void AnotherQueryOrEncoding_AnotherId(string target, string acceptEncoding)
    {
        Assert.NotEqual(_keys.For(TestAnswers.Token, TestAnswers.Target, "").Id, _keys.For(TestAnswers.Token, target, acceptEncoding).Id);
    }

    [Fact]
    public void Id_IsHexThatRevealsNeitherTokenNorPath()
    {
        var key = _keys.For(TestAnswers.Token, TestAnswers.Target, "");

        Assert.Matches("^[0-9a-f]{64}$", key.Id);
        Assert.Equal(32, key.EncryptionKey.Length);
    }
}
