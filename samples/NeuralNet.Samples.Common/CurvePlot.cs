using System.Globalization;

namespace NeuralNet.Samples;

/// <summary>Line plots of training curves saved as PNG files (ScottPlot, rendered headless).</summary>
public static class CurvePlot
{
    /// <summary>A curve spanning more than this ratio between its largest and smallest value is drawn on a log scale.</summary>
    public const double LogScaleRatio = 100;

    /// <summary>
    /// Saves one or more curves over the epochs as a PNG: epochs on whole-number ticks, a logarithmic
    /// vertical axis when the values are positive and span more than <see cref="LogScaleRatio"/>, the
    /// legend outside the data so that it hides no point.
    /// </summary>
    /// <param name="path">The PNG file to write.</param>
    /// <param name="title">The plot's title.</param>
    /// <param name="yLabel">What the vertical axis shows, e.g. <c>loss (MSE)</c>.</param>
    /// <param name="epochs">The horizontal positions (epoch numbers).</param>
    /// <param name="curves">Each curve's legend and values (one per epoch).</param>
    /// <param name="percent">True to label the vertical axis in percent (accuracy).</param>
    /// <returns>True when the vertical axis is logarithmic.</returns>
    public static bool Save(string path, string title, string yLabel, IReadOnlyList<int> epochs, IReadOnlyList<(string Legend, IReadOnlyList<double> Values)> curves, bool percent = false)
    {
        ArgumentNullException.ThrowIfNull(epochs);
        ArgumentNullException.ThrowIfNull(curves);
        double[] all = curves.SelectMany(c => c.Values).Where(double.IsFinite).ToArray();
        bool logScale = !percent && all.Length > 0 && all.Min() > 0 && all.Max() / all.Min() > LogScaleRatio;
        var plot = new ScottPlot.Plot();
        plot.Font.Set("DejaVu Sans");
        double[] xs = epochs.Select(e => (double)e).ToArray();
        foreach ((string legend, IReadOnlyList<double> values) in curves)
        {
            double[] ys = values.Select(v => logScale ? Math.Log10(v) : v).ToArray();
            ScottPlot.Plottables.Scatter line = plot.Add.Scatter(xs, ys);
            line.LegendText = legend;
            line.LineWidth = 2;
            line.MarkerSize = xs.Length > 60 ? 0 : 5;
        }

        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        if (logScale)
        {
            // ticks at whole decades only (1, 0.1, 0.01, …), with log-spaced minor ticks between them
            plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
            {
                IntegerTicksOnly = true,
                MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
                LabelFormatter = y => Math.Pow(10, y).ToString("G3", CultureInfo.InvariantCulture),
            };
            yLabel += ", log scale";
        }
        else if (percent)
        {
            plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
            {
                LabelFormatter = y => y.ToString("P0", CultureInfo.InvariantCulture),
            };
        }

        plot.Title(title);
        plot.XLabel("epoch");
        plot.YLabel(yLabel);
        if (xs.Length == 1)
        {
            plot.Axes.SetLimitsX(xs[0] - 1, xs[0] + 1);
        }

        if (curves.Count > 1)
        {
            plot.ShowLegend(ScottPlot.Edge.Bottom);
        }
        else
        {
            plot.HideLegend();
        }

        plot.SavePng(path, 900, 500);
        return logScale;
    }
}
