using System.Buffers;

namespace ApicastSidecarProxy.Redaction;

/// <summary>
/// A request target as the access log shows it: secrets masked (<see cref="QueryRedactor"/>) and control characters
/// written as %XX. Kestrel lets CR, TAB and ESC through in a target; written as-is, a client's target could overwrite or
/// fake a line on a terminal. The sidecar refuses such a request, and its line still shows what was sent.
/// </summary>
public static class LoggedTarget
{
    // Every char.IsControl character: C0, DEL and C1.
    private static readonly SearchValues<char> Controls = SearchValues.Create(
        Enumerable.Range(0, 0xA0).Select(c => (char)c).Where(char.IsControl).ToArray());

    /// <summary>The target to log; the string itself when there is nothing to mask or escape.</summary>
    public static string From(string target)
    {
        var redacted = QueryRedactor.RedactTarget(target);
        var controls = CountControls(redacted);
        return controls == 0 ? redacted : string.Create(redacted.Length + 2 * controls, redacted, static (escaped, redacted) =>
        {
            redacted.CopyTo(escaped);
            var length = redacted.Length;
            TryEscapeControls(escaped, ref length);
        });
    }

    /// <summary><see cref="From"/> written into <paramref name="destination"/>; false when it does not fit.</summary>
    public static bool TryWrite(string target, Span<char> destination, out int written) =>
        QueryRedactor.TryRedactTarget(target, destination, out written) && TryEscapeControls(destination, ref written);

    // Escapes, in place and from the end, the control characters among destination's first `length` characters.
    private static bool TryEscapeControls(Span<char> destination, ref int length)
    {
        var controls = CountControls(destination[..length]);
        var escapedLength = length + 2 * controls;
        if (controls == 0 || escapedLength > destination.Length)
        {
            return controls == 0;
        }

        for (int from = length - 1, to = escapedLength - 1; from >= 0; from--)
        {
            var c = destination[from];
            if (char.IsControl(c))
            {
                destination[to--] = HexDigit(c & 0xF);
                destination[to--] = HexDigit((c >> 4) & 0xF);
                destination[to--] = '%';
            }
            else
            {
                destination[to--] = c;
            }
        }

        length = escapedLength;
        return true;
    }

    // Zero for almost every target, found by one vectorized search.
    private static int CountControls(ReadOnlySpan<char> text)
    {
        var controls = 0;
        for (var next = text.IndexOfAny(Controls); next >= 0; next = text.IndexOfAny(Controls))
        {
            controls++;
            text = text[(next + 1)..];
        }

        return controls;
    }

    private static char HexDigit(int value) => (char)(value < 10 ? '0' + value : 'A' + value - 10);
}
