using NeuralNet.Metrics;

namespace NeuralNet.Training;

/// <summary>
/// Reduces the rate when a metric stops improving: after <see cref="Patience"/> epochs without an
/// improvement larger than <see cref="MinDelta"/>, <c>η ← max(η·factor, η_min)</c>, then waits
/// <see cref="Cooldown"/> epochs before counting again (as Keras's <c>ReduceLROnPlateau</c>; PyTorch's
/// with an absolute threshold reduces one epoch later, after patience + 1 bad epochs).
/// </summary>
/// <remarks>
/// It watches any column the run records, as early stopping does: <see cref="Monitor"/> for the five
/// <see cref="TrainingMetric"/> values, or <see cref="MonitorName"/> for any metric by its history column
/// (<c>val_f1</c>, <c>val_auc</c>, a metric of your own), improving in the metric's direction
/// (<see cref="NeuralNet.Metrics.Metric.HigherIsBetter"/>: lower for losses and errors, higher for
/// accuracy, F1, AUC and R²). <c>Fit</c> refuses a column the run does not record before training.
/// What it has learnt (the reductions so far, the best value, the epochs without improvement, the
/// cooldown left) is part of the trainer's state, so a continued run goes on bit for bit.
/// </remarks>
public sealed class ReduceOnPlateauSchedule : LearningRateSchedule
{
    private readonly string? _monitorName;
    private string? _column; // the column a trainer's run watches, with its direction; null outside a run
    private bool _higherIsBetter;
    private double _multiplier = 1;
    private double _best;
    private int _badEpochs;
    private int _cooldownLeft;

    /// <summary>Creates a plateau schedule.</summary>
    /// <param name="factor">The factor in (0, 1) applied at each reduction; default 0.1.</param>
    /// <param name="patience">Epochs without improvement before reducing, ≥ 1; default 10.</param>
    /// <param name="minDelta">The smallest change that counts as an improvement, ≥ 0; default 1e-4.</param>
    /// <param name="cooldown">Epochs to wait after a reduction before counting again, ≥ 0; default 0.</param>
    /// <param name="minLearningRate">η_min &gt; 0, the floor; default 1e-8.</param>
    /// <param name="monitor">The metric to watch; null for the validation loss when recorded, else the training loss (or <see cref="MonitorName"/> for any other column).</param>
    public ReduceOnPlateauSchedule(double factor = 0.1, int patience = 10, double minDelta = 1e-4, int cooldown = 0, double minLearningRate = 1e-8, TrainingMetric? monitor = null)
    {
        Factor = Check(factor, 0, 1, false, false, nameof(factor));
        ArgumentOutOfRangeException.ThrowIfLessThan(patience, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(cooldown);
        Patience = patience;
        MinDelta = Check(minDelta, 0, double.PositiveInfinity, true, false, nameof(minDelta));
        Cooldown = cooldown;
        MinLearningRate = Check(minLearningRate, 0, double.PositiveInfinity, false, false, nameof(minLearningRate));
        Monitor = monitor;
        Reset();
    }

    /// <summary>The factor applied at each reduction.</summary>
    public double Factor { get; }

    /// <summary>Epochs without improvement before a reduction.</summary>
    public int Patience { get; }

    /// <summary>The smallest change that counts as an improvement.</summary>
    public double MinDelta { get; }

    /// <summary>Epochs to wait after a reduction.</summary>
    public int Cooldown { get; }

    /// <summary>The floor η_min.</summary>
    public double MinLearningRate { get; }

    /// <summary>The metric watched; null for the validation loss when recorded, else the training loss (unless <see cref="MonitorName"/> is set).</summary>
    public TrainingMetric? Monitor { get; }

    /// <summary>
    /// The history column to watch instead of <see cref="Monitor"/>, for any metric the run records:
    /// <c>loss</c>, <c>val_loss</c>, a metric's name (training batches) or <c>val_</c> + name (validation
    /// data), e.g. <c>val_accuracy</c>, <c>val_f1</c>, <c>val_auc</c> or a metric of your own; whether higher
    /// is better comes from the metric (<see cref="NeuralNet.Metrics.Metric.HigherIsBetter"/>). Null (the
    /// default) uses <see cref="Monitor"/>; setting both is refused. <c>Fit</c> refuses a column the run does
    /// not record with an <see cref="ArgumentException"/> before training.
    /// </summary>
    /// <example><c>new ReduceOnPlateauSchedule(factor: 0.5, patience: 3) { MonitorName = "val_accuracy" }</c></example>
    public string? MonitorName
    {
        get => _monitorName;
        init
        {
            if (value is not null && string.IsNullOrWhiteSpace(value))
            {
                throw new ArgumentException("monitorName must be a history column name, or null (received an empty name).", nameof(MonitorName));
            }

            if (value is not null && Monitor is not null)
            {
                throw new ArgumentException($"a plateau schedule monitors one column: set monitor ({Monitor}) or MonitorName ('{value}'), not both.", nameof(MonitorName));
            }

            _monitorName = value;
        }
    }

    /// <summary>The metrics whose direction a schedule called outside a trainer knows: the defaults of classifiers and regression.</summary>
    private static IReadOnlyList<Metric> OnItsOwn { get; } = [new Accuracy(), new RootMeanSquaredError(), new RSquared()];

    /// <inheritdoc />
    public override double LearningRate(int epoch, double initialLearningRate) => Math.Max(initialLearningRate * _multiplier, MinLearningRate); // max(η₀·factorᵏ, η_min)

    /// <inheritdoc />
    public override void EpochCompleted(EpochRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        string column = _column ?? Column(record.ValidationLoss is not null);
        bool higherIsBetter = _column is not null ? _higherIsBetter : MonitoredColumn.HigherIsBetter(column, OnItsOwn, true)
            ?? throw new InvalidOperationException($"ReduceOnPlateauSchedule learns whether a higher '{column}' is better from the run's metrics: use it as TrainingOptions.Schedule (called on its own it knows loss, val_loss, and accuracy, rmse, r2 with their val_ columns).");
        double value = record.Value(column) ?? throw new InvalidOperationException($"ReduceOnPlateauSchedule monitors '{column}', which this epoch's record does not hold.");
        double sign = higherIsBetter ? -1 : 1; // compare as "lower is better"
        bool coolingDown = _cooldownLeft > 0;
        if (coolingDown)
        {
            _cooldownLeft--;
            _badEpochs = 0;
        }

        if (sign * value < _best - MinDelta)
        {
            _best = sign * value;
            _badEpochs = 0;
        }
        else if (!coolingDown && ++_badEpochs >= Patience)
        {
            _multiplier *= Factor;
            _badEpochs = 0;
            _cooldownLeft = Cooldown;
        }
    }

    /// <summary>The history column watched in a run with (<paramref name="hasValidation"/>) or without validation data.</summary>
    internal string Column(bool hasValidation)
        => MonitorName ?? MonitoredColumn.Of(Monitor ?? (hasValidation ? TrainingMetric.ValidationLoss : TrainingMetric.TrainingLoss));

    /// <inheritdoc />
    internal override void Begin(IReadOnlyList<Metric> metrics, bool hasValidation)
    {
        string column = Column(hasValidation);
        _higherIsBetter = MonitoredColumn.HigherIsBetter(column, metrics, hasValidation)
            ?? throw new InvalidOperationException($"ReduceOnPlateauSchedule monitors '{column}', which this run does not record."); // Fit checked it before training: not reached
        _column = column;
    }

    /// <inheritdoc />
    internal override double[] SaveState() => [_multiplier, _best, _badEpochs, _cooldownLeft];

    /// <inheritdoc />
    internal override void RestoreState(ReadOnlySpan<double> state)
    {
        if (state.Length != 4 || !(state[0] > 0 && state[0] <= 1) || double.IsNaN(state[1]) || state[2] is < 0 or > int.MaxValue || state[3] is < 0 or > int.MaxValue)
        {
            throw new ArgumentException($"a plateau schedule's state is [multiplier in (0, 1], best, bad epochs ≥ 0, cooldown left ≥ 0] (received [{string.Join(", ", state.ToArray())}]).", nameof(state));
        }

        (_multiplier, _best, _badEpochs, _cooldownLeft) = (state[0], state[1], (int)state[2], (int)state[3]);
    }

    /// <inheritdoc />
    public override void Reset()
    {
        _multiplier = 1;
        _best = double.PositiveInfinity;
        _badEpochs = 0;
        _cooldownLeft = 0;
    }
}
