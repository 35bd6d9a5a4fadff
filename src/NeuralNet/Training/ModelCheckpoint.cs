using System.Globalization;
using System.Numerics;
using NeuralNet.Serialization;

namespace NeuralNet.Training;

/// <summary>
/// Saves a training checkpoint (the network, the optimizer's state and the trainer's state, atomically:
/// a temporary file, then a rename) after an epoch: every N epochs, or whenever a monitored metric
/// improves on the best so far (Keras's <c>ModelCheckpoint</c> with <c>save_best_only</c>). Load it with
/// <c>NetworkSerializer.LoadCheckpoint</c> and give its <c>State</c> to a trainer to continue the run.
/// </summary>
/// <typeparam name="T">The element type, <see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class ModelCheckpoint<T> : TrainingCallback<T>
    where T : struct, IFloatingPointIeee754<T>
{
    private double _best = double.PositiveInfinity;

    /// <summary>Saves every <paramref name="everyEpochs"/> epochs (epochs that are multiples of it).</summary>
    /// <param name="path">The file; <c>{epoch}</c> in it is replaced by the epoch number (to keep each checkpoint).</param>
    /// <param name="everyEpochs">≥ 1.</param>
    public ModelCheckpoint(string path, int everyEpochs)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentOutOfRangeException.ThrowIfLessThan(everyEpochs, 1);
        Path = path;
        EveryEpochs = everyEpochs;
    }

    /// <summary>Saves after each epoch whose <paramref name="monitor"/> value is better than every earlier one by more than <paramref name="minDelta"/>.</summary>
    /// <param name="path">The file; <c>{epoch}</c> in it is replaced by the epoch number.</param>
    /// <param name="monitor">The metric; it must be recorded by the run (validation metrics need validation data).</param>
    /// <param name="minDelta">The smallest change that counts as an improvement, ≥ 0; default 0.</param>
    public ModelCheckpoint(string path, TrainingMetric monitor, double minDelta = 0)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentOutOfRangeException.ThrowIfNegative(minDelta);
        Path = path;
        Monitor = monitor;
        MinDelta = double.IsFinite(minDelta) ? minDelta : throw new ArgumentOutOfRangeException(nameof(minDelta), minDelta, $"minDelta must be finite (received {minDelta}).");
    }

    /// <summary>Saves after each epoch whose value of the history column <paramref name="monitor"/> is better than every earlier one by more than <paramref name="minDelta"/>.</summary>
    /// <param name="path">The file; <c>{epoch}</c> in it is replaced by the epoch number.</param>
    /// <param name="monitor">The column: <c>loss</c>, <c>val_loss</c>, a metric's name or <c>val_</c> + name (e.g. <c>val_auc</c>); whether higher is better comes from the metric.</param>
    /// <param name="minDelta">The smallest change that counts as an improvement, ≥ 0; default 0.</param>
    public ModelCheckpoint(string path, string monitor, double minDelta = 0)
        : this(path, TrainingMetric.TrainingLoss, minDelta)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(monitor);
        (Monitor, MonitorName) = (null, monitor);
    }

    /// <summary>The file written (a <c>{epoch}</c> in it stands for the epoch number).</summary>
    public string Path { get; }

    /// <summary>Save every this many epochs; null when saving the best by <see cref="Monitor"/>.</summary>
    public int? EveryEpochs { get; }

    /// <summary>The metric whose improvement triggers a save; null when saving every <see cref="EveryEpochs"/> or by <see cref="MonitorName"/>.</summary>
    public TrainingMetric? Monitor { get; }

    /// <summary>The history column whose improvement triggers a save, when given by name; else null.</summary>
    public string? MonitorName { get; }

    /// <summary>The smallest improvement of <see cref="Monitor"/> that triggers a save.</summary>
    public double MinDelta { get; }

    /// <summary>The epoch last saved, or 0.</summary>
    public int LastSavedEpoch { get; private set; }

    /// <summary>The best monitored value so far (as "lower is better") and the epoch last saved: a continued run saves only on a real improvement.</summary>
    /// <returns>Two numbers.</returns>
    public override double[]? SaveState() => [_best, LastSavedEpoch];

    /// <inheritdoc />
    public override void RestoreState(double[] state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.Length != 2 || double.IsNaN(state[0]) || !double.IsInteger(state[1]) || state[1] < 0 || state[1] > int.MaxValue)
        {
            throw new ArgumentException($"a ModelCheckpoint state is the best value and the epoch last saved (received {state.Length} numbers).", nameof(state));
        }

        (_best, LastSavedEpoch) = (state[0], (int)state[1]);
    }

    /// <inheritdoc />
    public override void OnEpochEnd(TrainingContext<T> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        EpochRecord record = context.Record!;
        bool save;
        if ((MonitorName ?? (Monitor is { } metric ? MonitoredColumn.Of(metric) : null)) is string column)
        {
            bool higherIsBetter = context.HigherIsBetter(column, nameof(ModelCheckpoint<T>));
            double raw = record.Value(column) ?? throw new InvalidOperationException($"ModelCheckpoint monitors '{column}', which this run does not record.");
            double value = (higherIsBetter ? -1 : 1) * raw;
            save = value < _best - MinDelta;
            _best = save ? value : _best;
        }
        else
        {
            save = record.Epoch % EveryEpochs!.Value == 0;
        }

        if (save)
        {
            string path = Path.Replace("{epoch}", record.Epoch.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
            NetworkSerializer.Save(context.Network, path, context.Optimizer, context.CaptureState());
            LastSavedEpoch = record.Epoch;
        }
    }
}
