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
        var text = new StringBuilder().AppendJoin("", columns.Select(c => c.Name.PadLeft(c.Name == "epoch" ? 5 : Math.Max(14, c.Name.Length + 1)))).Append('\n');
        foreach (EpochRecord record in Epochs)
        {
            foreach (var (name, value) in columns)
            {
                double v = value(record)!.Value;
                text.Append(name switch
                {
                    "epoch" => v.ToString("F0", CultureInfo.InvariantCulture).PadLeft(5),
                    "seconds" => v.ToString("F3", CultureInfo.InvariantCulture).PadLeft(14),
                    _ => v.ToString("G6", CultureInfo.InvariantCulture).PadLeft(Math.Max(14, name.Length + 1)),
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

    /// <summary>
    /// The columns every epoch recorded: epoch, learning rate, loss, the training metrics (in the order
    /// the first epoch lists them), the validation loss, the validation metrics, the durations.
    /// </summary>
    private (string Name, Func<EpochRecord, double?> Value)[] UsedColumns()
    {
        if (Epochs.Count == 0)
        {
            return [];
        }

        IEnumerable<string> metrics = Epochs[0].Metrics.Keys;
        var columns = new List<(string Name, Func<EpochRecord, double?> Value)>
        {
            ("epoch", r => r.Epoch),
            ("learning_rate", r => r.LearningRate),
            ("loss", r => r.TrainingLoss),
        };
        columns.AddRange(metrics.Where(n => !n.StartsWith("val_", StringComparison.Ordinal)).Select(Metric));
        columns.Add(("val_loss", r => r.ValidationLoss));
        columns.AddRange(metrics.Where(n => n.StartsWith("val_", StringComparison.Ordinal)).Select(Metric));
        columns.Add(("seconds", r => r.Duration.TotalSeconds));
        columns.Add(("elapsed_seconds", r => r.Elapsed.TotalSeconds));
        return columns.Where(c => Epochs.All(r => c.Value(r) is not null)).ToArray();

        static (string, Func<EpochRecord, double?>) Metric(string name) => (name, r => r.Metrics.TryGetValue(name, out double v) ? v : null);
    }
}
