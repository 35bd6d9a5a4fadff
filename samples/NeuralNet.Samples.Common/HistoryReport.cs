using NeuralNet.Training;

namespace NeuralNet.Samples;

/// <summary>Saves a training history (the library's <see cref="TrainingHistory"/>) as CSV and its curves as PNG files, and says where.</summary>
public static class HistoryReport
{
    /// <summary>Writes <c>NAME-history.csv</c>, <c>NAME-loss.png</c> and, when recorded, <c>NAME-accuracy.png</c> or <c>NAME-r2.png</c>.</summary>
    /// <param name="console">Where to print the paths.</param>
    /// <param name="options">The sample's options (the output folder).</param>
    /// <param name="history">The history returned by <see cref="Trainer{T}.Fit(Data.Dataset{T}, Data.Dataset{T}?, CancellationToken)"/>.</param>
    /// <param name="name">The file-name prefix, e.g. <c>iris</c>.</param>
    /// <param name="title">The data set's name for the plot titles, e.g. <c>Iris</c>.</param>
    /// <returns>The paths written.</returns>
    public static IReadOnlyList<string> Save(SampleConsole console, SampleOptions options, TrainingHistory history, string name, string title)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(history);
        var written = new List<string>();
        IReadOnlyList<EpochRecord> epochs = history.Epochs;
        int[] numbers = epochs.Select(e => e.Epoch).ToArray();

        string csv = options.OutputPath($"{name}-history.csv");
        history.SaveCsv(csv);
        written.Add(csv);

        var losses = new List<(string, IReadOnlyList<double>)> { ("training loss", epochs.Select(e => e.TrainingLoss).ToArray()) };
        if (epochs.All(e => e.ValidationLoss is not null))
        {
            losses.Add(("validation loss", epochs.Select(e => e.ValidationLoss!.Value).ToArray()));
        }

        string lossPng = options.OutputPath($"{name}-loss.png");
        CurvePlot.Save(lossPng, $"{title}: loss per epoch", "loss", numbers, losses);
        written.Add(lossPng);

        string? second = Curves(epochs, e => e.TrainingAccuracy, e => e.ValidationAccuracy) is { Count: > 0 } accuracy
            ? SaveCurves(options, $"{name}-accuracy.png", $"{title}: accuracy per epoch", "accuracy", numbers, accuracy)
            : Curves(epochs, e => e.TrainingRSquared, e => e.ValidationRSquared) is { Count: > 0 } r2
                ? SaveCurves(options, $"{name}-r2.png", $"{title}: R² per epoch", "R²", numbers, r2)
                : null;
        if (second is not null)
        {
            written.Add(second);
        }

        foreach (string path in written)
        {
            console.WriteLine($"  wrote {path}", Style.Dim);
        }

        return written;
    }

    private static List<(string, IReadOnlyList<double>)> Curves(IReadOnlyList<EpochRecord> epochs, Func<EpochRecord, double?> training, Func<EpochRecord, double?> validation)
    {
        var curves = new List<(string, IReadOnlyList<double>)>();
        if (epochs.Count > 0 && epochs.All(e => training(e) is not null))
        {
            curves.Add(("training", epochs.Select(e => training(e)!.Value).ToArray()));
        }

        if (epochs.Count > 0 && epochs.All(e => validation(e) is not null))
        {
            curves.Add(("validation", epochs.Select(e => validation(e)!.Value).ToArray()));
        }

        return curves;
    }

    private static string SaveCurves(SampleOptions options, string file, string title, string yLabel, int[] epochs, List<(string, IReadOnlyList<double>)> curves)
    {
        string path = options.OutputPath(file);
        CurvePlot.Save(path, title, yLabel, epochs, curves);
        return path;
    }
}
