namespace NeuralNet.Training;

/// <summary>A quantity recorded each epoch, to monitor for early stopping or a plateau schedule.</summary>
public enum TrainingMetric
{
    /// <summary>The mean loss over the epoch's training batches (lower is better).</summary>
    TrainingLoss,

    /// <summary>The loss on the validation data (lower is better).</summary>
    ValidationLoss,

    /// <summary>The accuracy on the validation data, classifiers only (higher is better).</summary>
    ValidationAccuracy,

    /// <summary>The RMSE on the validation data, regression only (lower is better).</summary>
    ValidationRmse,

    /// <summary>R² on the validation data, regression only (higher is better).</summary>
    ValidationRSquared,
}

/// <summary>The history columns of the <see cref="TrainingMetric"/> values, and which way each monitored column improves.</summary>
internal static class MonitoredColumn
{
    /// <summary>The history column of <paramref name="metric"/>.</summary>
    public static string Of(TrainingMetric metric) => metric switch
    {
        TrainingMetric.TrainingLoss => "loss",
        TrainingMetric.ValidationLoss => "val_loss",
        TrainingMetric.ValidationAccuracy => "val_accuracy",
        TrainingMetric.ValidationRmse => "val_rmse",
        TrainingMetric.ValidationRSquared => "val_r2",
        _ => throw new ArgumentOutOfRangeException(nameof(metric), metric, $"unknown metric (received {metric})."),
    };

    /// <summary>
    /// Whether a higher value of <paramref name="column"/> is better, from the run's metrics; null when
    /// the run does not record it (a validation column needs validation data).
    /// </summary>
    public static bool? HigherIsBetter(string column, IReadOnlyList<Metrics.Metric> metrics, bool hasValidation)
    {
        bool validation = column.StartsWith("val_", StringComparison.Ordinal);
        string name = validation ? column[4..] : column;
        if (validation && !hasValidation)
        {
            return null;
        }

        return name == "loss" ? false : metrics.FirstOrDefault(m => m.Name == name)?.HigherIsBetter;
    }
}
