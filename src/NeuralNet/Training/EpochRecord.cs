using System.Text;

namespace NeuralNet.Training;

/// <summary>
/// What one epoch achieved. Training metrics are taken on the epoch's batches as they were trained
/// (before each batch's update, as Keras reports them); validation metrics after the epoch.
/// The metrics are those of <c>TrainingOptions.Metrics</c>, all in <see cref="Metrics"/>; by default
/// accuracy for classifiers (cross-entropy losses), RMSE and R² for regression, which also fill the
/// properties of those names. <see cref="ToString"/> shows only what was recorded.
/// </summary>
public sealed record EpochRecord
{
    private static readonly string[] LegacyNames = ["accuracy", "rmse", "r2", "val_accuracy", "val_rmse", "val_r2"];
    private readonly IReadOnlyDictionary<string, double>? _metrics;

    /// <summary>The epoch, from 1.</summary>
    public required int Epoch { get; init; }

    /// <summary>The learning rate used in this epoch.</summary>
    public required double LearningRate { get; init; }

    /// <summary>The mean loss over the epoch's training samples.</summary>
    public required double TrainingLoss { get; init; }

    /// <summary>The loss on the validation data, or null without validation data.</summary>
    public double? ValidationLoss { get; init; }

    /// <summary>The share of training samples classified correctly (classifiers).</summary>
    public double? TrainingAccuracy { get; init; }

    /// <summary>The share of validation samples classified correctly (classifiers with validation data).</summary>
    public double? ValidationAccuracy { get; init; }

    /// <summary>The root mean squared error on the training batches (regression).</summary>
    public double? TrainingRmse { get; init; }

    /// <summary>The root mean squared error on the validation data (regression with validation data).</summary>
    public double? ValidationRmse { get; init; }

    /// <summary>R² on the training batches (regression).</summary>
    public double? TrainingRSquared { get; init; }

    /// <summary>R² on the validation data (regression with validation data).</summary>
    public double? ValidationRSquared { get; init; }

    /// <summary>
    /// Every metric of the epoch by its history column name: each <c>TrainingOptions.Metrics</c> entry
    /// under its <see cref="NeuralNet.Metrics.Metric.Name"/> (training batches) and <c>val_</c> + name
    /// (validation data), e.g. <c>accuracy</c>, <c>val_f1</c>, <c>top3_accuracy</c>. Set by the trainer;
    /// when not set, made of the accuracy, RMSE and R² properties.
    /// </summary>
    public IReadOnlyDictionary<string, double> Metrics
    {
        get => _metrics ?? Named();
        init => _metrics = value;
    }

    /// <summary>How long this epoch took, validation included.</summary>
    public required TimeSpan Duration { get; init; }

    /// <summary>Time since training started, at the end of this epoch.</summary>
    public required TimeSpan Elapsed { get; init; }

    /// <summary>The value of <paramref name="metric"/> in this epoch, or null when it was not recorded.</summary>
    /// <param name="metric">The metric.</param>
    public double? Value(TrainingMetric metric) => metric switch
    {
        TrainingMetric.TrainingLoss => TrainingLoss,
        TrainingMetric.ValidationLoss => ValidationLoss,
        TrainingMetric.ValidationAccuracy => ValidationAccuracy,
        TrainingMetric.ValidationRmse => ValidationRmse,
        TrainingMetric.ValidationRSquared => ValidationRSquared,
        _ => throw new ArgumentOutOfRangeException(nameof(metric), metric, $"unknown metric (received {metric})."),
    };

    /// <summary>The value of the history column <paramref name="name"/> (<c>loss</c>, <c>val_loss</c>, <c>learning_rate</c>, or a metric's name, e.g. <c>val_auc</c>), or null when it was not recorded.</summary>
    /// <param name="name">The column name.</param>
    public double? Value(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name switch
        {
            "loss" => TrainingLoss,
            "val_loss" => ValidationLoss,
            "learning_rate" => LearningRate,
            _ => Metrics.TryGetValue(name, out double value) ? value : null,
        };
    }

    /// <summary>The metrics of the accuracy, RMSE and R² properties, for a record made without <see cref="Metrics"/>.</summary>
    private Dictionary<string, double> Named()
    {
        var named = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach ((string name, double? value) in new[] { ("accuracy", TrainingAccuracy), ("rmse", TrainingRmse), ("r2", TrainingRSquared), ("val_accuracy", ValidationAccuracy), ("val_rmse", ValidationRmse), ("val_r2", ValidationRSquared) })
        {
            if (value is double v)
            {
                named[name] = v;
            }
        }

        return named;
    }

    private bool PrintMembers(StringBuilder builder)
    {
        int start = builder.Length;
        RecordText.Append(builder, start, nameof(Epoch), Epoch);
        RecordText.Append(builder, start, nameof(LearningRate), LearningRate);
        RecordText.Append(builder, start, nameof(TrainingLoss), TrainingLoss);
        RecordText.Append(builder, start, nameof(ValidationLoss), ValidationLoss);
        RecordText.Append(builder, start, nameof(TrainingAccuracy), TrainingAccuracy);
        RecordText.Append(builder, start, nameof(ValidationAccuracy), ValidationAccuracy);
        RecordText.Append(builder, start, nameof(TrainingRmse), TrainingRmse);
        RecordText.Append(builder, start, nameof(ValidationRmse), ValidationRmse);
        RecordText.Append(builder, start, nameof(TrainingRSquared), TrainingRSquared);
        RecordText.Append(builder, start, nameof(ValidationRSquared), ValidationRSquared);
        foreach (var (name, value) in _metrics ?? new Dictionary<string, double>())
        {
            if (!LegacyNames.Contains(name))
            {
                RecordText.Append(builder, start, name, value); // the other metrics, by their column names
            }
        }

        RecordText.Append(builder, start, nameof(Duration), Duration);
        RecordText.Append(builder, start, nameof(Elapsed), Elapsed);
        return builder.Length > start;
    }
}
