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
