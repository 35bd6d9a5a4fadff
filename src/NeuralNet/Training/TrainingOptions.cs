using NeuralNet.Metrics;

namespace NeuralNet.Training;

/// <summary>
/// The settings of a training run (<see cref="Trainer{T}"/>). Every setter checks its value, so a
/// nonsense setting fails where it is written, before training starts.
/// </summary>
public sealed class TrainingOptions
{
    private readonly int _epochs = 10;
    private readonly int _batchSize = 32;
    private readonly double _validationSplit;
    private readonly double? _targetLoss;
    private readonly IReadOnlyList<double>? _classWeights;
    private readonly IReadOnlyList<Metric>? _metrics;

    /// <summary>The maximum number of epochs (passes over the training data), ≥ 1; default 10.</summary>
    public int Epochs
    {
        get => _epochs;
        init => _epochs = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(Epochs), value, $"epochs must be ≥ 1 (received {value}).");
    }

    /// <summary>Samples per mini-batch, ≥ 1 (1 is per-sample SGD); default 32. The epoch's last batch holds the remainder and is kept, not dropped.</summary>
    public int BatchSize
    {
        get => _batchSize;
        init => _batchSize = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(BatchSize), value, $"batchSize must be ≥ 1 (received {value}).");
    }

    /// <summary>Visit the training samples in a new random order every epoch; default true.</summary>
    public bool Shuffle { get; init; } = true;

    /// <summary>The source of the shuffling and of the validation split; null (the default) draws from the network's own <see cref="Network{T}.Random"/>.</summary>
    public RandomSource? Random { get; init; }

    /// <summary>
    /// The share of the training samples held out (chosen at random, once) as validation data, in
    /// [0, 1); default 0. Ignored when validation data is passed to <c>Fit</c>.
    /// </summary>
    public double ValidationSplit
    {
        get => _validationSplit;
        init => _validationSplit = value >= 0 && value < 1 ? value : throw new ArgumentOutOfRangeException(nameof(ValidationSplit), value, $"validationSplit must be in [0, 1) (received {value}).");
    }

    /// <summary>How the learning rate changes per epoch, from the optimizer's rate at the start of <c>Fit</c>; null (the default) keeps that rate. The optimizer keeps the last epoch's rate afterwards.</summary>
    public LearningRateSchedule? Schedule { get; init; }

    /// <summary>Stop when a monitored metric stops improving; null (the default) for no early stopping.</summary>
    public EarlyStopping? EarlyStopping { get; init; }

    /// <summary>Stop once an epoch's training loss is at or below this value (finite); null (the default) for no target.</summary>
    public double? TargetLoss
    {
        get => _targetLoss;
        init => _targetLoss = value is null || double.IsFinite(value.Value) ? value : throw new ArgumentOutOfRangeException(nameof(TargetLoss), value, $"targetLoss must be finite or null (received {value}).");
    }

    /// <summary>
    /// A weight per class (finite, ≥ 0) multiplying each sample's loss, for imbalanced data: with C
    /// outputs and cross-entropy, C weights; with one sigmoid output, 2 weights (class 0, class 1).
    /// Combined with per-sample weights by multiplication. Null (the default) weighs all classes 1.
    /// </summary>
    public IReadOnlyList<double>? ClassWeights
    {
        get => _classWeights;
        init
        {
            if (value is not null)
            {
                for (int i = 0; i < value.Count; i++)
                {
                    if (!double.IsFinite(value[i]) || value[i] < 0)
                    {
                        throw new ArgumentOutOfRangeException(nameof(ClassWeights), value[i], $"class weights must be finite and ≥ 0 (received {value[i]} for class {i}).");
                    }
                }
            }

            _classWeights = value?.ToArray();
        }
    }

    /// <summary>
    /// The metrics measured every epoch on the training batches (as they were trained) and on the
    /// validation data, recorded in each <see cref="EpochRecord.Metrics"/> and the history's columns as
    /// their <see cref="Metric.Name"/> and <c>val_</c> + name, and measured by <see cref="Trainer{T}.Evaluate(MathNet.Numerics.LinearAlgebra.Matrix{T}, MathNet.Numerics.LinearAlgebra.Matrix{T})"/>:
    /// e.g. <c>[new Accuracy(), new TopKAccuracy(3), new F1Score()]</c>, or a <see cref="Metric"/> of your own.
    /// Null (the default) measures accuracy with a classification loss, RMSE and R² with a regression
    /// loss; an empty list measures none. A metric that does not fit the network or loss (e.g. accuracy
    /// with a regression loss) is refused by <c>Fit</c> with <see cref="ArgumentException"/>.
    /// </summary>
    public IReadOnlyList<Metric>? Metrics
    {
        get => _metrics;
        init
        {
            if (value is not null && value.Any(m => m is null))
            {
                throw new ArgumentNullException(nameof(Metrics), "metrics must not hold null.");
            }

            _metrics = value?.ToArray();
        }
    }

    /// <summary>Receives a <see cref="TrainingProgress"/> after every batch (for progress bars); null for none.</summary>
    public IProgress<TrainingProgress>? Progress { get; init; }
}
