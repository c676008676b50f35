using System.Text;
using ApicastSidecarProxy.Caching;

namespace ApicastSidecarProxy.Tests.Caching;

internal static class TestAnswers
{
    public const string Token = "Basic dG9rZW4tb25lOg==";
    public const string OtherToken = "Basic dG9rZW4tdHdvOg==";
    public const string Target = "/admin/api/account/proxy_configs/production.json?version=latest&page=1&per_page=500";

    public static readonly IReadOnlyList<KeyValuePair<string, string>> JsonHeaders =
        [new("Content-Type", "application/json; charset=utf-8")];

    public static byte[] Body(string text) => Encoding.UTF8.GetBytes(text);

    public static AnswerKey Key(string credentials = Token, string target = Target, string acceptEncoding = "") =>
        new AnswerKeyDerivation().For(credentials, target, acceptEncoding);
}
