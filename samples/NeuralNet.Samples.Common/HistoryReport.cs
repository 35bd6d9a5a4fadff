using NeuralNet.Training;
using Spectre.Console;

namespace NeuralNet.Samples;

/// <summary>Saves a training history (the library's <see cref="TrainingHistory"/>) as CSV and its curves as PNG files, and says where.</summary>
public static class HistoryReport
{
    /// <summary>Writes <c>NAME-history.csv</c>, <c>NAME-loss.png</c> and, when recorded, <c>NAME-accuracy.png</c> or <c>NAME-r2.png</c>.</summary>
    /// <param name="console">Where to print the paths.</param>
    /// <param name="options">The sample's options (the output folder).</param>
    /// <param name="history">The history returned by the trainer's Fit.</param>
    /// <param name="name">The file-name prefix, e.g. <c>iris</c>.</param>
    /// <param name="title">The data set's name for the plot titles, e.g. <c>Iris</c>.</param>
    /// <returns>The paths written.</returns>
    public static IReadOnlyList<string> Save(IAnsiConsole console, SampleOptions options, TrainingHistory history, string name, string title)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(history);
        IReadOnlyList<EpochRecord> epochs = history.Epochs;
        int[] numbers = epochs.Select(e => e.Epoch).ToArray();

        string csv = options.OutputPath($"{name}-history.csv");
        history.SaveCsv(csv);
        var written = new List<string> { csv };

        string lossPng = options.OutputPath($"{name}-loss.png");
        int? best = history.StopReason == StopReason.EarlyStopping ? history.BestEpoch : null;
        CurvePlot.Save(lossPng, $"{title}: loss per epoch", "loss", numbers, Curves(epochs, e => e.TrainingLoss, e => e.ValidationLoss, " loss"), bestEpoch: best);
        written.Add(lossPng);

        if (Curves(epochs, e => e.TrainingAccuracy, e => e.ValidationAccuracy, string.Empty) is { Count: > 0 } accuracy)
        {
            written.Add(options.OutputPath($"{name}-accuracy.png"));
            CurvePlot.Save(written[^1], $"{title}: accuracy per epoch", "accuracy", numbers, accuracy, percent: true, bestEpoch: best);
        }
        else if (Curves(epochs, e => e.TrainingRSquared, e => e.ValidationRSquared, string.Empty) is { Count: > 0 } r2)
        {
            written.Add(options.OutputPath($"{name}-r2.png"));
            CurvePlot.Save(written[^1], $"{title}: R² per epoch", "R²", numbers, r2, bestEpoch: best);
        }

        foreach (string path in written)
        {
            console.PathLine("wrote ", path);
        }

        return written;
    }

    private static List<(string, IReadOnlyList<double>)> Curves(IReadOnlyList<EpochRecord> epochs, Func<EpochRecord, double?> training, Func<EpochRecord, double?> validation, string suffix)
    {
        var curves = new List<(string, IReadOnlyList<double>)>();
        if (epochs.Count > 0 && epochs.All(e => training(e) is not null))
        {
            curves.Add(("training" + suffix, epochs.Select(e => training(e)!.Value).ToArray()));
        }

        if (epochs.Count > 0 && epochs.All(e => validation(e) is not null))
        {
            curves.Add(("validation" + suffix, epochs.Select(e => validation(e)!.Value).ToArray()));
        }

        return curves;
    }
}
