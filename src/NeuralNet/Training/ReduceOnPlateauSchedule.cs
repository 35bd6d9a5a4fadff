namespace NeuralNet.Training;

/// <summary>
/// Reduces the rate when a metric stops improving: after <see cref="Patience"/> epochs without an
/// improvement larger than <see cref="MinDelta"/>, <c>η ← max(η·factor, η_min)</c>, then waits
/// <see cref="Cooldown"/> epochs before counting again (as Keras's <c>ReduceLROnPlateau</c>; PyTorch's
/// with an absolute threshold reduces one epoch later, after patience + 1 bad epochs).
/// </summary>
public sealed class ReduceOnPlateauSchedule : LearningRateSchedule
{
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
    /// <param name="monitor">The metric to watch; null for the validation loss when recorded, else the training loss.</param>
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

    /// <summary>The metric watched; null for the validation loss when recorded, else the training loss.</summary>
    public TrainingMetric? Monitor { get; }

    /// <inheritdoc />
    public override double LearningRate(int epoch, double initialLearningRate) => Math.Max(initialLearningRate * _multiplier, MinLearningRate); // max(η₀·factorᵏ, η_min)

    /// <inheritdoc />
    public override void EpochCompleted(EpochRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        TrainingMetric metric = Monitor ?? (record.ValidationLoss is null ? TrainingMetric.TrainingLoss : TrainingMetric.ValidationLoss);
        double value = record.Value(metric) ?? throw new InvalidOperationException($"ReduceOnPlateauSchedule monitors {metric}, which this training run does not record.");
        double sign = EpochRecord.HigherIsBetter(metric) ? -1 : 1; // compare as "lower is better"
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
