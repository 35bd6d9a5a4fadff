using System.Globalization;
using System.Text;

namespace NeuralNet.Training;

/// <summary>
/// The record of a training run, one <see cref="EpochRecord"/> per completed epoch, and why it ended.
/// Prints as a table (<see cref="ToString"/>) and saves as CSV (<see cref="ToCsv"/>, <see cref="SaveCsv"/>)
/// with the columns that were recorded.
/// </summary>
public sealed class TrainingHistory
{
    private static readonly (string Name, Func<EpochRecord, double?> Value)[] Columns =
    [
        ("epoch", r => r.Epoch),
        ("learning_rate", r => r.LearningRate),
        ("loss", r => r.TrainingLoss),
        ("accuracy", r => r.TrainingAccuracy),
        ("rmse", r => r.TrainingRmse),
        ("r2", r => r.TrainingRSquared),
        ("val_loss", r => r.ValidationLoss),
        ("val_accuracy", r => r.ValidationAccuracy),
        ("val_rmse", r => r.ValidationRmse),
        ("val_r2", r => r.ValidationRSquared),
        ("seconds", r => r.Duration.TotalSeconds),
        ("elapsed_seconds", r => r.Elapsed.TotalSeconds),
    ];

    internal TrainingHistory(IReadOnlyList<EpochRecord> epochs, StopReason stopReason, int? bestEpoch)
    {
        Epochs = epochs;
        StopReason = stopReason;
        BestEpoch = bestEpoch;
    }

    /// <summary>The completed epochs, in order (empty when cancelled during the first epoch).</summary>
    public IReadOnlyList<EpochRecord> Epochs { get; }

    /// <summary>Why training ended.</summary>
    public StopReason StopReason { get; }

    /// <summary>With early stopping: the epoch with the best monitored value (whose weights were restored if asked); otherwise null.</summary>
    public int? BestEpoch { get; }

    /// <summary>The last completed epoch, or null when none completed.</summary>
    public EpochRecord? Last => Epochs.Count == 0 ? null : Epochs[^1];

    /// <summary>The history as CSV: a header and one line per epoch, invariant culture, round-trip numbers.</summary>
    public string ToCsv()
    {
        var columns = UsedColumns();
        var text = new StringBuilder().AppendJoin(',', columns.Select(c => c.Name)).Append('\n');
        foreach (EpochRecord record in Epochs)
        {
            text.AppendJoin(',', columns.Select(c => c.Value(record)!.Value.ToString("R", CultureInfo.InvariantCulture))).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>Writes <see cref="ToCsv"/> to a file.</summary>
    /// <param name="path">The file to create or overwrite.</param>
    public void SaveCsv(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        File.WriteAllText(path, ToCsv());
    }

    /// <summary>A table with a line per epoch and the stop reason, for printing.</summary>
    public override string ToString()
    {
        var columns = UsedColumns().Where(c => c.Name != "elapsed_seconds").ToArray();
        var text = new StringBuilder().AppendJoin("", columns.Select(c => c.Name.PadLeft(c.Name == "epoch" ? 5 : 14))).Append('\n');
        foreach (EpochRecord record in Epochs)
        {
            foreach (var (name, value) in columns)
            {
                double v = value(record)!.Value;
                text.Append(name switch
                {
                    "epoch" => v.ToString("F0", CultureInfo.InvariantCulture).PadLeft(5),
                    "seconds" => v.ToString("F3", CultureInfo.InvariantCulture).PadLeft(14),
                    _ => v.ToString("G6", CultureInfo.InvariantCulture).PadLeft(14),
                });
            }

            text.Append('\n');
        }

        text.Append(CultureInfo.InvariantCulture, $"stopped: {StopReason} after {Epochs.Count} epochs");
        if (BestEpoch is int best)
        {
            text.Append(CultureInfo.InvariantCulture, $", best epoch {best}");
        }

        return text.Append('\n').ToString();
    }

    private (string Name, Func<EpochRecord, double?> Value)[] UsedColumns()
        => Columns.Where(c => Epochs.Count > 0 && Epochs.All(r => c.Value(r) is not null)).ToArray();
}
