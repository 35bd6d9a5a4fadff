namespace NeuralNet.Samples;

/// <summary>
/// A table for the console: columns aligned on the visible text (colour codes never shift a column),
/// numbers right-aligned, a rule under the header.
/// </summary>
public sealed class TextTable
{
    private readonly string[] _headers;
    private readonly bool[] _rightAligned;
    private readonly List<(string Text, Style Style)[]> _rows = [];

    /// <summary>Creates a table with these column headers; a header starting with '&gt;' is right-aligned (the '&gt;' is dropped).</summary>
    /// <param name="headers">The column headers, e.g. <c>"neuron", "&gt;weighted sum"</c>.</param>
    public TextTable(params string[] headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        _rightAligned = headers.Select(h => h.StartsWith('>')).ToArray();
        _headers = headers.Select(h => h.TrimStart('>')).ToArray();
    }

    /// <summary>Number of data rows.</summary>
    public int RowCount => _rows.Count;

    /// <summary>Adds a row of plain cells.</summary>
    /// <param name="cells">One text per column.</param>
    public void AddRow(params string[] cells)
    {
        ArgumentNullException.ThrowIfNull(cells);
        AddRow(cells.Select(c => (c, Style.Plain)).ToArray());
    }

    /// <summary>Adds a row whose cells each have a style.</summary>
    /// <param name="cells">One (text, style) per column.</param>
    public void AddRow(params (string Text, Style Style)[] cells)
    {
        ArgumentNullException.ThrowIfNull(cells);
        if (cells.Length != _headers.Length)
        {
            throw new ArgumentException($"a row needs {_headers.Length} cells (received {cells.Length}).", nameof(cells));
        }

        _rows.Add(cells);
    }

    /// <summary>Writes the table, indented by two spaces.</summary>
    /// <param name="console">Where to write.</param>
    public void Write(SampleConsole console)
    {
        ArgumentNullException.ThrowIfNull(console);
        int[] widths = new int[_headers.Length];
        for (int c = 0; c < widths.Length; c++)
        {
            widths[c] = Math.Max(_headers[c].Length, _rows.Count == 0 ? 0 : _rows.Max(r => r[c].Text.Length));
        }

        console.WriteLine("  " + string.Join("  ", _headers.Select((h, c) => Pad(h, widths[c], _rightAligned[c]))).TrimEnd(), Style.Emphasis);
        console.WriteLine("  " + string.Join("  ", widths.Select(w => new string('─', w))), Style.Dim);
        foreach ((string Text, Style Style)[] row in _rows)
        {
            string line = string.Join("  ", row.Select((cell, c) => console.Paint(Pad(cell.Text, widths[c], _rightAligned[c]), cell.Style)));
            console.WriteLine("  " + line.TrimEnd());
        }
    }

    private static string Pad(string text, int width, bool right) => right ? text.PadLeft(width) : text.PadRight(width);
}
