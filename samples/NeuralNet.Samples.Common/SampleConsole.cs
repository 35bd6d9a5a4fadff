namespace NeuralNet.Samples;

/// <summary>
/// Where a sample prints: a text writer, and whether it is a terminal (live progress bars) and whether
/// to colour (ANSI escapes). Redirected output (a file, a pipe) gets plain text without escape codes.
/// </summary>
public sealed class SampleConsole
{
    /// <summary>Creates a console over <paramref name="writer"/>.</summary>
    /// <param name="writer">Where the text goes.</param>
    /// <param name="isTerminal">True when a person watches it live: progress bars redraw in place.</param>
    /// <param name="useColour">True to colour with ANSI escape codes.</param>
    public SampleConsole(TextWriter writer, bool isTerminal, bool useColour)
    {
        ArgumentNullException.ThrowIfNull(writer);
        Out = writer;
        IsTerminal = isTerminal;
        UseColour = useColour;
    }

    /// <summary>The writer behind this console.</summary>
    public TextWriter Out { get; }

    /// <summary>Whether the output is a terminal watched live.</summary>
    public bool IsTerminal { get; }

    /// <summary>Whether text is coloured with ANSI escape codes.</summary>
    public bool UseColour { get; }

    /// <summary>
    /// The process's standard output: a terminal when it is not redirected and <c>TERM</c> is not
    /// <c>dumb</c>; coloured only on a terminal and when <c>NO_COLOR</c> is unset or empty (no-color.org).
    /// </summary>
    public static SampleConsole ForStandardOutput()
    {
        bool terminal = !Console.IsOutputRedirected && Environment.GetEnvironmentVariable("TERM") != "dumb";
        return new SampleConsole(Console.Out, terminal, ShouldColour(terminal, Environment.GetEnvironmentVariable("NO_COLOR")));
    }

    /// <summary>The colour decision: only on a terminal, and never when NO_COLOR holds a value.</summary>
    /// <param name="isTerminal">Whether the output is a terminal.</param>
    /// <param name="noColor">The value of the NO_COLOR environment variable, or null.</param>
    /// <returns>True to colour.</returns>
    public static bool ShouldColour(bool isTerminal, string? noColor) => isTerminal && string.IsNullOrEmpty(noColor);

    /// <summary>Wraps <paramref name="text"/> in the escape codes of <paramref name="style"/> when colour is on.</summary>
    /// <param name="text">The text.</param>
    /// <param name="style">How to show it.</param>
    /// <returns>The text, coloured or as it was.</returns>
    public string Paint(string text, Style style)
    {
        if (!UseColour || style == Style.Plain || text.Length == 0)
        {
            return text;
        }

        string code = style switch
        {
            Style.Heading => "1;36",
            Style.Dim => "2",
            Style.Emphasis => "1",
            Style.Good => "32",
            Style.Bad => "31",
            Style.Accent => "33",
            _ => "0",
        };
        return $"\u001b[{code}m{text}\u001b[0m";
    }

    /// <summary>Writes a line of plain text.</summary>
    /// <param name="text">The line.</param>
    public void WriteLine(string text = "") => Out.WriteLine(text);

    /// <summary>Writes a line in one style.</summary>
    /// <param name="text">The line.</param>
    /// <param name="style">How to show it.</param>
    public void WriteLine(string text, Style style) => Out.WriteLine(Paint(text, style));

    /// <summary>Writes text without ending the line.</summary>
    /// <param name="text">The text.</param>
    /// <param name="style">How to show it.</param>
    public void Write(string text, Style style = Style.Plain) => Out.Write(Paint(text, style));

    /// <summary>Writes a section heading with a blank line before it and an underline.</summary>
    /// <param name="title">The heading.</param>
    public void Heading(string title)
    {
        ArgumentNullException.ThrowIfNull(title);
        Out.WriteLine();
        Out.WriteLine(Paint(title, Style.Heading));
        Out.WriteLine(Paint(new string('─', title.Length), Style.Heading));
    }
}
