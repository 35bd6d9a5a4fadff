using System.Numerics;
using NeuralNet.Optimizers;

namespace NeuralNet.Training;

/// <summary>What a <see cref="TrainingCallback{T}"/> sees of a running <c>Fit</c>, and how it stops it.</summary>
/// <typeparam name="T">The element type, <see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class TrainingContext<T>
    where T : struct, IFloatingPointIeee754<T>
{
    private readonly List<EpochRecord> _history;
    private readonly Func<TrainingState<T>> _state;

    internal TrainingContext(Network<T> network, Optimizer<T> optimizer, List<EpochRecord> history, Func<TrainingState<T>> state)
    {
        Network = network;
        Optimizer = optimizer;
        _history = history;
        _state = state;
    }

    /// <summary>The network being trained.</summary>
    public Network<T> Network { get; }

    /// <summary>The optimizer updating it.</summary>
    public Optimizer<T> Optimizer { get; }

    /// <summary>The current epoch, from 1 (numbered on in a continued run).</summary>
    public int Epoch { get; internal set; }

    /// <summary>The last epoch this <c>Fit</c> may reach.</summary>
    public int LastEpoch { get; internal set; }

    /// <summary>The current batch within the epoch, from 1 (0 outside the batch hooks).</summary>
    public int Batch { get; internal set; }

    /// <summary>Batches per epoch.</summary>
    public int Batches { get; internal set; }

    /// <summary>The loss of the batch just trained (in <see cref="TrainingCallback{T}.OnBatchEnd"/>).</summary>
    public double BatchLoss { get; internal set; }

    /// <summary>The metrics of the epoch just completed (in <see cref="TrainingCallback{T}.OnEpochEnd"/>), else the last completed epoch's, or null.</summary>
    public EpochRecord? Record => _history.Count == 0 ? null : _history[^1];

    /// <summary>The epochs this <c>Fit</c> has completed so far.</summary>
    public IReadOnlyList<EpochRecord> History => _history;

    /// <summary>Why the run will end after this epoch, once something has asked it to stop; null while it goes on.</summary>
    public StopReason? StopReason { get; private set; }

    /// <summary>With early stopping: the epoch with the best monitored value so far; else null.</summary>
    public int? BestEpoch { get; internal set; }

    /// <summary>Ends the run after the current epoch with <see cref="Training.StopReason.StoppedByCallback"/>.</summary>
    public void Stop() => Stop(Training.StopReason.StoppedByCallback);

    /// <summary>
    /// The trainer's state now, as <see cref="Trainer{T}.State"/> will hold it: for a checkpoint saved
    /// with <c>NetworkSerializer.Save(network, path, optimizer, state)</c> from <see cref="TrainingCallback{T}.OnEpochEnd"/>.
    /// </summary>
    public TrainingState<T> CaptureState() => _state();

    /// <summary>Whether the run has validation data.</summary>
    internal bool HasValidation { get; init; }

    /// <summary>The run's metrics (their names are the history's columns).</summary>
    internal IReadOnlyList<Metrics.Metric> Metrics { get; init; } = [];

    /// <summary>The state the run continues from, or null for a new run.</summary>
    internal TrainingState<T>? Resumed { get; init; }

    /// <summary>Whether a higher value of the history column <paramref name="column"/> is better; throws when the run does not record it.</summary>
    internal bool HigherIsBetter(string column, string who)
        => MonitoredColumn.HigherIsBetter(column, Metrics, HasValidation)
            ?? throw new InvalidOperationException($"{who} monitors '{column}', which this run does not record (the columns are loss, the metrics' names, and with validation data val_loss and val_ + each name).");

    /// <summary>Asks the run to end with <paramref name="reason"/>; the first reason given wins.</summary>
    internal void Stop(StopReason reason) => StopReason ??= reason;
}
