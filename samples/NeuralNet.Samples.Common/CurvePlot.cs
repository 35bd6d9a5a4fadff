namespace NeuralNet.Samples;

/// <summary>Line plots of training curves saved as PNG files (ScottPlot, rendered headless).</summary>
public static class CurvePlot
{
    /// <summary>Saves one or more curves over the epochs as a PNG.</summary>
    /// <param name="path">The PNG file to write.</param>
    /// <param name="title">The plot's title.</param>
    /// <param name="yLabel">What the vertical axis shows, e.g. <c>loss (MSE)</c>.</param>
    /// <param name="epochs">The horizontal positions (epoch numbers).</param>
    /// <param name="curves">Each curve's legend and values (one per epoch).</param>
    /// <param name="logScale">True for a logarithmic vertical axis; needs positive values.</param>
    public static void Save(string path, string title, string yLabel, IReadOnlyList<int> epochs, IReadOnlyList<(string Legend, IReadOnlyList<double> Values)> curves, bool logScale = false)
    {
        ArgumentNullException.ThrowIfNull(epochs);
        ArgumentNullException.ThrowIfNull(curves);
        var plot = new ScottPlot.Plot();
        plot.Font.Set("DejaVu Sans");
        double[] xs = epochs.Select(e => (double)e).ToArray();
        foreach ((string legend, IReadOnlyList<double> values) in curves)
        {
            double[] ys = values.Select(v => logScale ? Math.Log10(Math.Max(v, double.Epsilon)) : v).ToArray();
            ScottPlot.Plottables.Scatter line = plot.Add.Scatter(xs, ys);
            line.LegendText = legend;
            line.LineWidth = 2;
            line.MarkerSize = xs.Length > 60 ? 0 : 4;
        }

        if (logScale)
        {
            // ticks at whole decades only (1, 0.1, 0.01, …), with log-spaced minor ticks between them
            plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
            {
                IntegerTicksOnly = true,
                MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
                LabelFormatter = y => Math.Pow(10, y).ToString("G3", System.Globalization.CultureInfo.InvariantCulture),
            };
            yLabel += " (log scale)";
        }

        plot.Title(title);
        plot.XLabel("epoch");
        plot.YLabel(yLabel);
        if (curves.Count > 1)
        {
            plot.ShowLegend(ScottPlot.Alignment.UpperRight);
        }
        else
        {
            plot.HideLegend();
        }

        plot.SavePng(path, 900, 500);
    }
}
