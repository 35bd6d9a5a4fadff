using System.Globalization;
using Spectre.Console;

namespace NeuralNet.Samples;

/// <summary>A loss curve for the terminal: a bar per milestone epoch (Spectre.Console's bar chart), as wide as the console allows.</summary>
public static class LossChart
{
    /// <summary>Writes one bar per epoch that <see cref="EpochMilestones"/> selects, labelled with the epoch and the value.</summary>
    /// <param name="console">Where to write.</param>
    /// <param name="values">The loss of each epoch, in order (epoch 1 first).</param>
    /// <param name="title">What the bars show, e.g. <c>training loss per epoch</c>.</param>
    /// <param name="format">The values' number format.</param>
    public static void Write(IAnsiConsole console, IReadOnlyList<double> values, string title, string format = "F4")
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(values);
        double[] finite = values.Where(v => double.IsFinite(v) && v > 0).ToArray();
        double low = finite.Length > 0 ? finite.Min() : 1, high = finite.Length > 0 ? finite.Max() : 1;

        // A loss that falls by orders of magnitude gets bars in decades above a floor a decade under its
        // smallest value, so that every bar shows; the labels keep the real values.
        bool logScale = high / low > CurvePlot.LogScaleRatio;
        double floor = Math.Log10(low) - 1;
        double Bar(double v) => logScale ? Math.Log10(v) - floor : v;
        double Value(double bar) => logScale ? Math.Pow(10, bar + floor) : bar;
        var chart = new BarChart
        {
            Width = Math.Min(70, console.Profile.Width - 2),
            Label = logScale ? title + ", log scale" : title,
            LabelAlignment = Justify.Left,
            MaxValue = Bar(high),
            ValueFormatter = (v, _) => Value(v).ToString(format, CultureInfo.InvariantCulture),
        };
        string last = values.Count.ToString(CultureInfo.InvariantCulture);
        for (int i = 0; i < values.Count; i++)
        {
            if (EpochMilestones.IsMilestone(i + 1, values.Count, firstEvery: 1) && double.IsFinite(values[i]) && values[i] > 0)
            {
                chart.AddItem($"epoch {(i + 1).ToString(CultureInfo.InvariantCulture).PadLeft(last.Length)}", Bar(values[i]), Color.Teal);
            }
        }

        console.Indented(chart);
    }
}
