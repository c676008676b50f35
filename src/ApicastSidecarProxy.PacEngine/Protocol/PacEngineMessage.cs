using System.Text;

namespace ApicastSidecarProxy.PacEngine.Protocol;

/// <summary>
/// The wire format between the sidecar and apicast-sidecar-pac, compiled into both. The sidecar writes requests to the
/// engine's standard input; the engine answers each with one reply on its standard output, in order. A message is one
/// line: a verb, then its arguments, separated by spaces, each argument the Base64 of its UTF-8 text, so that no
/// script, URL or reason can break the framing.
/// <code>
///   compile ID SCRIPT   ok | error REASON      (a script compiled under ID replaces the one before)
///   find ID URL HOST    ok RESULT | error REASON
///   drop ID             ok
/// </code>
/// </summary>
internal static class PacEngineMessage
{
    public const string Compile = "compile";
    public const string Find = "find";
    public const string Drop = "drop";
    public const string Ok = "ok";
    public const string Error = "error";

    public static string Format(string verb, params ReadOnlySpan<string> arguments)
    {
        var line = new StringBuilder(verb);
        foreach (var argument in arguments)
        {
            line.Append(' ').Append(Convert.ToBase64String(Encoding.UTF8.GetBytes(argument)));
        }

        return line.ToString();
    }

    /// <summary>The verb and arguments of <paramref name="line"/>; false when an argument is not Base64.</summary>
    public static bool TryParse(string line, out string verb, out string[] arguments)
    {
        var parts = line.Split(' ');
        verb = parts[0];
        arguments = new string[parts.Length - 1];
        for (var i = 1; i < parts.Length; i++)
        {
            var bytes = new byte[parts[i].Length * 3 / 4];
            if (!Convert.TryFromBase64String(parts[i], bytes, out var length))
            {
                return false;
            }

            arguments[i - 1] = Encoding.UTF8.GetString(bytes, 0, length);
        }

        return true;
    }
}
