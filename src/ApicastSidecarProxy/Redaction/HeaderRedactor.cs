using System.Text;
using Microsoft.AspNetCore.Http;

namespace ApicastSidecarProxy.Redaction;

/// <summary>Renders a header block for the debug log, with every credential-bearing header masked.</summary>
public static class HeaderRedactor
{
    private static readonly HashSet<string> Masked = new(StringComparer.OrdinalIgnoreCase)
    {
        "Authorization", "Proxy-Authorization", "Cookie", "Set-Cookie", "X-Api-Key", "X-3scale-Proxy-Secret-Token",
    };

    public static string Describe(IHeaderDictionary headers)
    {
        var text = new StringBuilder();
        foreach (var (name, values) in headers)
        {
            if (text.Length > 0)
            {
                text.Append("; ");
            }

            text.Append(name).Append(": ").Append(Masked.Contains(name) ? QueryRedactor.Mask : values.ToString());
        }

        return text.ToString();
    }
}
