using System.Globalization;
using System.Numerics;
using NeuralNet.Training;
using Spectre.Console;

namespace NeuralNet.Samples;

/// <summary>
/// What a person sees while a trainer runs: on a terminal, Spectre.Console's live progress bar (epoch,
/// running loss, time left), sized to the terminal; in a file or a pipe, no bar. In both, one line per
/// epoch that <see cref="ShowEpoch"/> selects.
/// </summary>
public sealed class TrainingDisplay : IProgress<TrainingProgress>
{
    private readonly IAnsiConsole _console;
    private ProgressTask? _task;
    private int _epoch;
    private double _lossSum;

    /// <summary>Creates the display of a run.</summary>
    /// <param name="console">Where to show it.</param>
    public TrainingDisplay(IAnsiConsole console)
    {
        ArgumentNullException.ThrowIfNull(console);
        _console = console;
    }

    /// <summary>Which epochs get a line, given (epoch, epochs); every one by default.</summary>
    public Func<int, int, bool> ShowEpoch { get; init; } = (_, _) => true;

    /// <summary>Whether the live bar is drawn: the console is a terminal that takes escape codes.</summary>
    public bool IsLive => _console.Profile.Capabilities.Interactive && _console.Profile.Capabilities.Ansi;

    /// <summary>Runs <paramref name="fit"/> (a call of <paramref name="trainer"/>'s Fit) under the display.</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="trainer">The trainer, whose <see cref="TrainingOptions.Progress"/> is this display.</param>
    /// <param name="fit">The training call.</param>
    /// <returns>What <paramref name="fit"/> returned.</returns>
    public TrainingHistory Run<T>(Trainer<T> trainer, Func<TrainingHistory> fit)
        where T : struct, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(trainer);
        ArgumentNullException.ThrowIfNull(fit);
        int epochs = trainer.Options.Epochs;
        void OnEpoch(object? sender, EpochCompletedEventArgs e)
        {
            if (ShowEpoch(e.Record.Epoch, epochs))
            {
                _console.Line(Format(e.Record, epochs));
            }
        }

        trainer.EpochCompleted += OnEpoch;
        TrainingHistory history;
        try
        {
            history = !IsLive ? fit() : _console.Progress()
                .AutoClear(true)
                .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn { Width = 20 }, new PercentageColumn(), new RemainingTimeColumn())
                .Start(context =>
                {
                    _task = context.AddTask(Describe(1, epochs, null), maxValue: epochs);
                    return fit();
                });
        }
        finally
        {
            trainer.EpochCompleted -= OnEpoch;
            _task = null;
        }

        if (history is { StopReason: StopReason.EarlyStopping, Last: EpochRecord last, BestEpoch: int best })
        {
            if (!ShowEpoch(last.Epoch, epochs))
            {
                _console.Line(Format(last, epochs));
            }

            _console.Line($"stopped early: the validation loss had not improved for {trainer.Options.EarlyStopping?.Patience} epochs; the weights of epoch {best}, the best, are kept", SampleConsole.Dim);
        }

        return history;
    }

    /// <summary>Receives the batch just trained: moves the bar and its running loss.</summary>
    /// <param name="value">Where training is.</param>
    public void Report(TrainingProgress value)
    {
        if (value.Epoch != _epoch)
        {
            (_epoch, _lossSum) = (value.Epoch, 0);
        }

        _lossSum += value.BatchLoss;
        if (_task is ProgressTask task)
        {
            task.Value = value.Epoch - 1 + ((double)value.Batch / value.Batches);
            task.Description = Describe(value.Epoch, value.Epochs, _lossSum / value.Batch);
        }
    }

    /// <summary>
    /// One epoch in a line of at most 60 columns: the training loss, then the validation figures where
    /// recorded, e.g. <c>epoch  10/200  loss 0.1234  val 0.1111  val acc 96.7 %</c> (val: the validation loss).
    /// </summary>
    /// <param name="record">The epoch's record.</param>
    /// <param name="epochs">The number of epochs in the run (for the width of the epoch column).</param>
    /// <returns>The line.</returns>
    public static string Format(EpochRecord record, int epochs)
    {
        ArgumentNullException.ThrowIfNull(record);
        string total = epochs.ToString(CultureInfo.InvariantCulture);
        static string Part(string name, double? value, string format) => value is double v ? $"  {name} {v.ToString(format, CultureInfo.InvariantCulture)}" : string.Empty;
        return string.Create(CultureInfo.InvariantCulture, $"epoch {record.Epoch.ToString(CultureInfo.InvariantCulture).PadLeft(total.Length)}/{total}  loss {record.TrainingLoss:F4}")
            + Part("val", record.ValidationLoss, "F4") + Part("val acc", record.ValidationAccuracy, "P1") + Part("val R²", record.ValidationRSquared, "F3")
            + (record.ValidationLoss is null ? Part("acc", record.TrainingAccuracy, "P1") : string.Empty);
    }

    private static string Describe(int epoch, int epochs, double? loss) =>
        loss is double l ? string.Create(CultureInfo.InvariantCulture, $"epoch {epoch}/{epochs} loss {l:F4}") : $"epoch {epoch}/{epochs}";
}
