using System.Globalization;
using System.Numerics;
using System.Text;
using NeuralNet.Training;

namespace NeuralNet.Samples;

/// <summary>One line per epoch from the library's <see cref="EpochRecord"/>: loss, and accuracy or RMSE and R² where recorded.</summary>
public static class EpochSummary
{
    /// <summary>Formats an epoch's record: training loss, then the validation figures where recorded.</summary>
    /// <param name="record">The epoch's record.</param>
    /// <param name="epochs">The number of epochs in the run (for the width of the epoch column).</param>
    /// <returns>E.g. <c>epoch  10/200  loss 0.1234  validation loss 0.1111  validation accuracy 96.7 %</c>.</returns>
    public static string Format(EpochRecord record, int epochs)
    {
        ArgumentNullException.ThrowIfNull(record);
        string total = epochs.ToString(CultureInfo.InvariantCulture);
        var line = new StringBuilder();
        line.Append(CultureInfo.InvariantCulture, $"  epoch {record.Epoch.ToString(CultureInfo.InvariantCulture).PadLeft(total.Length)}/{total}  loss {record.TrainingLoss:F4}");
        Append(line, "validation loss", record.ValidationLoss, "F4");
        Append(line, "accuracy", record.TrainingAccuracy, "P1");
        Append(line, "validation accuracy", record.ValidationAccuracy, "P1");
        Append(line, "validation R²", record.ValidationRSquared, "F3");
        line.Append(CultureInfo.InvariantCulture, $"  ({record.Duration.TotalSeconds:F1} s)");
        return line.ToString();
    }

    /// <summary>
    /// Prints the progress of a trainer's run: the live bar on a terminal, and a summary line for the
    /// epochs <paramref name="printEpoch"/> selects (all of them by default).
    /// </summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="trainer">The trainer, whose <see cref="TrainingOptions.Progress"/> is <paramref name="progress"/>.</param>
    /// <param name="progress">The progress bar.</param>
    /// <param name="printEpoch">Which epochs get a line, given (epoch, epochs).</param>
    public static void Follow<T>(Trainer<T> trainer, TrainingProgressBar progress, Func<int, int, bool>? printEpoch = null)
        where T : struct, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(trainer);
        ArgumentNullException.ThrowIfNull(progress);
        int epochs = trainer.Options.Epochs;
        trainer.EpochCompleted += (_, e) =>
        {
            if (printEpoch is null || printEpoch(e.Record.Epoch, epochs))
            {
                progress.CompleteEpoch(Format(e.Record, epochs));
            }
        };
    }

    private static void Append(StringBuilder line, string name, double? value, string format)
    {
        if (value is double v)
        {
            line.Append("  ").Append(name).Append(' ').Append(v.ToString(format, CultureInfo.InvariantCulture));
        }
    }
}
