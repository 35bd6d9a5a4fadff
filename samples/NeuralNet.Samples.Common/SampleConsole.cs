using System.Globalization;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace NeuralNet.Samples;

/// <summary>
/// The console a sample writes to (Spectre.Console), and the few shapes of output all samples share:
/// a heading, an indented line of text, an aligned table.
/// </summary>
public static class SampleConsole
{
    /// <summary>Secondary text: units, explanations.</summary>
    public static readonly Style Dim = new(decoration: Decoration.Dim);

    /// <summary>A figure worth the eye.</summary>
    public static readonly Style Emphasis = new(decoration: Decoration.Bold);

    /// <summary>Good news: a value rising as it should, a right answer.</summary>
    public static readonly Style Good = new(Color.Green);

    /// <summary>A value that went down, a wrong answer.</summary>
    public static readonly Style Bad = new(Color.Red);

    /// <summary>A highlighted name.</summary>
    public static readonly Style Accent = new(Color.Yellow);

    /// <summary>
    /// The process's standard output. On a terminal (not redirected, <c>TERM</c> not <c>dumb</c>):
    /// live progress, and colour unless <c>NO_COLOR</c> is set (no-color.org). Redirected: plain text
    /// without escape codes. The width is <c>COLUMNS</c> when set, else the terminal's, else 80.
    /// </summary>
    public static IAnsiConsole ForStandardOutput()
    {
        bool terminal = !Console.IsOutputRedirected && Environment.GetEnvironmentVariable("TERM") != "dumb";
        return Create(Console.Out, terminal, Environment.GetEnvironmentVariable("NO_COLOR"), Environment.GetEnvironmentVariable("COLUMNS"));
    }

    /// <summary>A console over <paramref name="writer"/>.</summary>
    /// <param name="writer">Where the text goes.</param>
    /// <param name="isTerminal">True when a person watches it live: escape codes, a progress bar redrawn in place.</param>
    /// <param name="noColor">The value of <c>NO_COLOR</c>, or null.</param>
    /// <param name="columns">The value of <c>COLUMNS</c>, or null.</param>
    /// <returns>The console.</returns>
    public static IAnsiConsole Create(TextWriter writer, bool isTerminal, string? noColor, string? columns)
    {
        IAnsiConsole console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = isTerminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = ShouldColour(isTerminal, noColor) ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = isTerminal ? InteractionSupport.Yes : InteractionSupport.No,
        });
        if (int.TryParse(columns, NumberStyles.None, CultureInfo.InvariantCulture, out int width) && width > 0)
        {
            console.Profile.Width = width;
        }
        else if (!isTerminal)
        {
            console.Profile.Width = 80;
        }

        return console;
    }

    /// <summary>The colour decision: only on a terminal, and never when NO_COLOR holds a value.</summary>
    /// <param name="isTerminal">Whether the output is a terminal.</param>
    /// <param name="noColor">The value of the NO_COLOR environment variable, or null.</param>
    /// <returns>True to colour.</returns>
    public static bool ShouldColour(bool isTerminal, string? noColor) => isTerminal && string.IsNullOrEmpty(noColor);

    /// <summary>Writes a section heading: a blank line, then a rule with the title, as wide as the console.</summary>
    /// <param name="console">The console.</param>
    /// <param name="title">The heading.</param>
    public static void Heading(this IAnsiConsole console, string title)
    {
        ArgumentNullException.ThrowIfNull(console);
        console.WriteLine();
        console.Write(new Rule(Markup.Escape(title)) { Justification = Justify.Left, Style = new Style(Color.Teal) });
    }

    /// <summary>Writes text indented by two columns, wrapped at the console's width.</summary>
    /// <param name="console">The console.</param>
    /// <param name="text">The text.</param>
    /// <param name="style">How to show it; plain by default.</param>
    public static void Line(this IAnsiConsole console, string text, Style? style = null) =>
        console.Indented(new Text(text, style ?? Style.Plain));

    /// <summary>
    /// Writes a label and a file path on one line, indented by two columns and never wrapped (a
    /// terminal wraps a long path itself, and a copied path stays whole).
    /// </summary>
    /// <param name="console">The console.</param>
    /// <param name="label">What the file is, e.g. <c>wrote </c>.</param>
    /// <param name="path">The path.</param>
    public static void PathLine(this IAnsiConsole console, string label, string path)
    {
        ArgumentNullException.ThrowIfNull(console);
        console.Profile.Out.Writer.WriteLine($"  {label}{path}");
    }

    /// <summary>Writes pieces of text, each in its own style, as one line indented by two columns.</summary>
    /// <param name="console">The console.</param>
    /// <param name="pieces">The pieces, in order.</param>
    public static void Line(this IAnsiConsole console, params (string Text, Style Style)[] pieces)
    {
        ArgumentNullException.ThrowIfNull(pieces);
        var paragraph = new Paragraph();
        foreach ((string text, Style style) in pieces)
        {
            paragraph.Append(text, style);
        }

        console.Indented(paragraph);
    }

    /// <summary>Writes a renderable (a table, a chart) indented by two columns.</summary>
    /// <param name="console">The console.</param>
    /// <param name="renderable">What to write.</param>
    public static void Indented(this IAnsiConsole console, IRenderable renderable)
    {
        ArgumentNullException.ThrowIfNull(console);
        // a table's own left edge is one blank column
        console.Write(new Padder(renderable, new Padding(renderable is Table ? 1 : 2, 0, 0, 0)));
    }

    /// <summary>
    /// A table for figures: a rule under the header, columns apart by two spaces, and no box, so that it
    /// reads the same in a terminal and in a file; a header starting with '&gt;' is right-aligned (the '&gt;'
    /// is dropped). A table wider than the console wraps its widest cells.
    /// </summary>
    /// <param name="headers">The column headers, e.g. <c>"neuron", "&gt;weighted sum"</c>.</param>
    /// <returns>The empty table; add rows with <c>Row</c> or Spectre's own <c>AddRow</c>.</returns>
    public static Table Table(params string[] headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        var table = new Table { Border = HeaderRule.Instance, ShowHeaders = true };
        foreach (string header in headers)
        {
            bool right = header.StartsWith('>');
            var column = new TableColumn(new Text(header.TrimStart('>'), Emphasis)) { Padding = new Padding(0, 0, 1, 0) };
            table.AddColumn(right ? column.RightAligned() : column);
        }

        return table;
    }

    /// <summary>Adds a row of cells, each text in its own style.</summary>
    /// <param name="table">The table.</param>
    /// <param name="cells">One (text, style) per column.</param>
    public static void Row(this Table table, params (string Text, Style Style)[] cells)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(cells);
        table.AddRow(cells.Select(c => (IRenderable)new Text(c.Text, c.Style)));
    }

    /// <summary>Adds a row of plain cells.</summary>
    /// <param name="table">The table.</param>
    /// <param name="cells">One text per column.</param>
    public static void Row(this Table table, params string[] cells)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(cells);
        table.AddRow(cells.Select(c => (IRenderable)new Text(c)));
    }

    /// <summary>A border of blanks with a rule under each column's header: figures aligned, no box.</summary>
    private sealed class HeaderRule : TableBorder
    {
        public static readonly HeaderRule Instance = new();

        public override string GetPart(TableBorderPart part) => part == TableBorderPart.HeaderBottom ? "─" : " ";
    }
}
