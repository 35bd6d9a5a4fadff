using System.Globalization;
using ScottPlot;

namespace NeuralNet.Samples;

/// <summary>Line plots of training curves saved as PNG files (ScottPlot, rendered headless).</summary>
public static class CurvePlot
{
    /// <summary>A curve spanning more than this ratio between its largest and smallest value is drawn on a log scale.</summary>
    public const double LogScaleRatio = 100;

    /// <summary>Saves <see cref="Create"/>'s plot as a PNG of 900 × 500 pixels.</summary>
    /// <param name="path">The PNG file to write.</param>
    /// <param name="title">The plot's title.</param>
    /// <param name="yLabel">What the vertical axis shows, e.g. <c>loss (MSE)</c>.</param>
    /// <param name="epochs">The horizontal positions (epoch numbers).</param>
    /// <param name="curves">Each curve's legend and values (one per epoch).</param>
    /// <param name="percent">True for values in [0, 1] labelled in percent (accuracy).</param>
    /// <param name="bestEpoch">The epoch whose weights early stopping kept, marked by a vertical line; null for none.</param>
    public static void Save(string path, string title, string yLabel, IReadOnlyList<int> epochs, IReadOnlyList<(string Legend, IReadOnlyList<double> Values)> curves, bool percent = false, int? bestEpoch = null)
    {
        using Plot plot = Create(title, yLabel, epochs, curves, percent, bestEpoch);
        plot.SavePng(path, 900, 500);
    }

    /// <summary>
    /// One or more curves over the epochs: epochs on whole-number ticks from the first to the last, a
    /// logarithmic vertical axis when the values are positive and span more than <see cref="LogScaleRatio"/>,
    /// percent ticks that each read differently, the legend under the plot, where it hides no point.
    /// </summary>
    /// <param name="title">The plot's title.</param>
    /// <param name="yLabel">What the vertical axis shows.</param>
    /// <param name="epochs">The horizontal positions (epoch numbers, at least one).</param>
    /// <param name="curves">Each curve's legend and values (one per epoch).</param>
    /// <param name="percent">True for values in [0, 1] labelled in percent.</param>
    /// <param name="bestEpoch">The epoch whose weights early stopping kept, marked by a vertical line; null for none.</param>
    /// <returns>The plot, to render or save.</returns>
    public static Plot Create(string title, string yLabel, IReadOnlyList<int> epochs, IReadOnlyList<(string Legend, IReadOnlyList<double> Values)> curves, bool percent = false, int? bestEpoch = null)
    {
        ArgumentOutOfRangeException.ThrowIfZero(epochs.Count, nameof(epochs));
        ArgumentNullException.ThrowIfNull(curves);
        double[] all = curves.SelectMany(c => c.Values).Where(double.IsFinite).ToArray();
        bool logScale = !percent && all.Length > 0 && all.Min() > 0 && all.Max() / all.Min() > LogScaleRatio;
        var plot = new Plot();
        plot.Font.Set("DejaVu Sans");
        double[] xs = epochs.Select(e => (double)e).ToArray();
        foreach ((string legend, IReadOnlyList<double> values) in curves)
        {
            // a log axis plots log10 of the values; percent plots 100 × the value, so that ticks 0.5 apart read 85.5 % and 86 %
            ScottPlot.Plottables.Scatter line = plot.Add.Scatter(xs, values.Select(v => logScale ? Math.Log10(v) : percent ? 100 * v : v).ToArray());
            line.LegendText = legend;
            line.LineWidth = 2;
            line.MarkerSize = xs.Length > 60 ? 0 : 5;
        }

        if (bestEpoch is int best)
        {
            ScottPlot.Plottables.VerticalLine line = plot.Add.VerticalLine(best, 1, Colors.Gray, LinePattern.Dashed);
            line.LegendText = $"epoch {best}: best validation loss, weights kept";
        }

        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        var ticks = new ScottPlot.TickGenerators.NumericAutomatic();
        if (logScale)
        {
            // ticks at whole decades only (1, 0.1, 0.01, …), with log-spaced minor ticks between them
            ticks.IntegerTicksOnly = true;
            ticks.MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator();
            ticks.LabelFormatter = y => Math.Pow(10, y).ToString("G3", CultureInfo.InvariantCulture);
        }
        else if (percent)
        {
            ticks.LabelFormatter = y => y.ToString("0.##", CultureInfo.InvariantCulture) + " %";
        }

        plot.Axes.Left.TickGenerator = ticks;
        plot.Title(title);
        plot.XLabel("epoch");
        plot.YLabel(logScale ? yLabel + ", log scale" : yLabel);

        // the epochs run edge to edge (no tick at 0 or past the last epoch); a single epoch gets room around it
        double pad = xs.Length == 1 ? 1 : Math.Max(0.1, 0.01 * (xs[^1] - xs[0]));
        plot.Axes.SetLimitsX(xs[0] - pad, xs[^1] + pad);
        if (curves.Count > 1 || bestEpoch is not null)
        {
            plot.ShowLegend(Edge.Bottom);
        }
        else
        {
            plot.HideLegend();
        }

        return plot;
    }
}
