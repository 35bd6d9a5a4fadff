namespace NeuralNet.Training;

/// <summary>
/// Stops training when a monitored metric has not improved by more than <see cref="MinDelta"/> for
/// <see cref="Patience"/> epochs in a row, and optionally puts back the weights of the best epoch.
/// </summary>
public sealed class EarlyStopping
{
    private readonly int _patience = 10;
    private readonly double _minDelta;
    private readonly string? _monitorName;

    /// <summary>The metric to watch; null (the default) for the validation loss when there is validation data, else the training loss.</summary>
    public TrainingMetric? Monitor { get; init; }

    /// <summary>
    /// The history column to watch instead of <see cref="Monitor"/>, for any metric the run records:
    /// <c>loss</c>, <c>val_loss</c>, a metric's name (training batches) or <c>val_</c> + name (validation
    /// data), e.g. <c>val_f1</c> or <c>val_auc</c>; whether higher is better comes from the metric
    /// (<see cref="NeuralNet.Metrics.Metric.HigherIsBetter"/>). Null (the default) uses <see cref="Monitor"/>;
    /// setting both is refused by <c>Fit</c>.
    /// </summary>
    public string? MonitorName
    {
        get => _monitorName;
        init => _monitorName = value is null || !string.IsNullOrWhiteSpace(value) ? value : throw new ArgumentException("monitorName must be a history column name, or null (received an empty name).", nameof(MonitorName));
    }

    /// <summary>Epochs without improvement before stopping, ≥ 1; default 10.</summary>
    public int Patience
    {
        get => _patience;
        init => _patience = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(Patience), value, $"patience must be ≥ 1 (received {value}).");
    }

    /// <summary>The smallest change that counts as an improvement, ≥ 0; default 0.</summary>
    public double MinDelta
    {
        get => _minDelta;
        init => _minDelta = double.IsFinite(value) && value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(MinDelta), value, $"minDelta must be a finite number ≥ 0 (received {value}).");
    }

    /// <summary>When training ends, restore the weights of the epoch with the best monitored value; default true.</summary>
    public bool RestoreBestWeights { get; init; } = true;
}
