using System.Text;

namespace NeuralNet.Training;

/// <summary>
/// The loss and metrics of a network on a data set (<see cref="Trainer{T}.Evaluate(MathNet.Numerics.LinearAlgebra.Matrix{T}, MathNet.Numerics.LinearAlgebra.Matrix{T})"/>): the metrics of
/// <c>TrainingOptions.Metrics</c> in <see cref="Metrics"/>, by default accuracy for classifiers, RMSE
/// and R² for regression, which also fill the properties of those names (the others are null, and
/// <see cref="ToString"/> leaves them out).
/// </summary>
/// <param name="Loss">The mean loss.</param>
/// <param name="Accuracy">The share of samples classified correctly (classifiers).</param>
/// <param name="Rmse">The root mean squared error (regression).</param>
/// <param name="RSquared">The coefficient of determination R² (regression).</param>
public sealed record Evaluation(double Loss, double? Accuracy, double? Rmse, double? RSquared)
{
    /// <summary>Every metric measured, by name (<see cref="NeuralNet.Metrics.Metric.Name"/>: <c>accuracy</c>, <c>f1</c>, <c>auc</c>, ...); empty when none was.</summary>
    public IReadOnlyDictionary<string, double> Metrics { get; init; } = new Dictionary<string, double>();

    private bool PrintMembers(StringBuilder builder)
    {
        int start = builder.Length;
        RecordText.Append(builder, start, nameof(Loss), Loss);
        RecordText.Append(builder, start, nameof(Accuracy), Accuracy);
        RecordText.Append(builder, start, nameof(Rmse), Rmse);
        RecordText.Append(builder, start, nameof(RSquared), RSquared);
        foreach (var (name, value) in Metrics)
        {
            if (name is not ("accuracy" or "rmse" or "r2"))
            {
                RecordText.Append(builder, start, name, value);
            }
        }
        return builder.Length > start;
    }
}
