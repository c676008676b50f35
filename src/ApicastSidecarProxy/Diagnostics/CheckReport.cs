namespace ApicastSidecarProxy.Diagnostics;

/// <summary>Writes the `check` command's lines: one per hop, ✔ or ✘, and a plain-words hint under a failure.</summary>
public sealed class CheckReport(TextWriter output)
{
    public bool Failed { get; private set; }

    public void Heading(string text) => output.WriteLine(text);

    public void Pass(string text) => output.WriteLine($"  \u2714 {text}");

    public void Fail(string text, string hint)
    {
        Failed = true;
        output.WriteLine($"  \u2718 {text}");
        output.WriteLine($"      hint: {hint}");
    }

    public void NotReached(string hop) => output.WriteLine($"  - {hop}: not reached");
}
