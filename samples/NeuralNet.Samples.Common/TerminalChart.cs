using System.Globalization;

namespace NeuralNet.Samples;

/// <summary>A line chart drawn with text characters, for a loss curve in the terminal.</summary>
public static class TerminalChart
{
    /// <summary>Draws <paramref name="values"/> (one per epoch) as a chart of <paramref name="height"/> text rows.</summary>
    /// <param name="console">Where to draw.</param>
    /// <param name="values">The values in order, e.g. the loss of each epoch; non-finite values are skipped.</param>
    /// <param name="xLabel">What the horizontal axis counts, e.g. <c>epoch</c>.</param>
    /// <param name="logScale">True for a logarithmic vertical axis (a loss that falls by orders of magnitude); needs positive values.</param>
    /// <param name="width">Columns of the plot area.</param>
    /// <param name="height">Rows of the plot area.</param>
    public static void Write(SampleConsole console, IReadOnlyList<double> values, string xLabel, bool logScale = false, int width = 60, int height = 12)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(values);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 10);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 3);
        Func<double, double> scale = logScale ? Math.Log10 : v => v;
        double[] scaled = values.Select(v => double.IsFinite(v) && (!logScale || v > 0) ? scale(v) : double.NaN).ToArray();
        double[] finite = scaled.Where(double.IsFinite).ToArray();
        if (finite.Length == 0)
        {
            console.WriteLine("  (nothing to plot)", Style.Dim);
            return;
        }

        double low = finite.Min(), high = finite.Max();
        if (high - low < 1e-12)
        {
            high = low + 1;
        }

        int columns = Math.Min(width, values.Count);
        char[,] grid = new char[height, columns];
        for (int r = 0; r < height; r++)
        {
            for (int c = 0; c < columns; c++)
            {
                grid[r, c] = ' ';
            }
        }

        int? previousRow = null;
        for (int c = 0; c < columns; c++)
        {
            int index = columns == 1 ? 0 : (int)Math.Round(c * (values.Count - 1) / (double)(columns - 1));
            double v = scaled[index];
            if (!double.IsFinite(v))
            {
                previousRow = null;
                continue;
            }

            int row = (int)Math.Round((high - v) / (high - low) * (height - 1));
            if (previousRow is int p)
            {
                // a steep fall between two columns: fill the gap so the curve reads as one line
                for (int between = Math.Min(p, row) + 1; between < Math.Max(p, row); between++)
                {
                    grid[between, c] = '│';
                }
            }

            grid[row, c] = '•';
            previousRow = row;
        }

        string Label(double s) => (logScale ? Math.Pow(10, s) : s).ToString("G3", CultureInfo.InvariantCulture);
        string[] labels = new string[height];
        labels[0] = Label(high);
        labels[height / 2] = Label(high - ((high - low) * (height / 2) / (height - 1)));
        labels[height - 1] = Label(low);
        int labelWidth = labels.Max(l => l?.Length ?? 0);
        for (int r = 0; r < height; r++)
        {
            string label = (labels[r] ?? string.Empty).PadLeft(labelWidth);
            var line = new char[columns];
            for (int c = 0; c < columns; c++)
            {
                line[c] = grid[r, c];
            }

            console.WriteLine($"  {console.Paint(label, Style.Dim)} ┤{console.Paint(new string(line).TrimEnd(), Style.Accent)}");
        }

        console.WriteLine($"  {new string(' ', labelWidth)} └{new string('─', columns)}");
        string first = "1", last = values.Count.ToString(CultureInfo.InvariantCulture);
        string axis = first + xLabel.PadLeft((columns - first.Length - last.Length + xLabel.Length) / 2).PadRight(columns - first.Length - last.Length) + last;
        console.WriteLine($"  {new string(' ', labelWidth)}  {axis}", Style.Dim);
    }
}
