using System.Text;

namespace NeuralNet.Training;

/// <summary>
/// The loss and metrics of a network on a data set (<see cref="Trainer{T}.Evaluate"/>): accuracy for
/// classifiers, RMSE and R² for regression; the metrics of the other kind are null, and
/// <see cref="ToString"/> leaves them out.
/// </summary>
/// <param name="Loss">The mean loss.</param>
/// <param name="Accuracy">The share of samples classified correctly (classifiers).</param>
/// <param name="Rmse">The root mean squared error (regression).</param>
/// <param name="RSquared">The coefficient of determination R² (regression).</param>
public sealed record Evaluation(double Loss, double? Accuracy, double? Rmse, double? RSquared)
{
    private bool PrintMembers(StringBuilder builder)
    {
        int start = builder.Length;
        RecordText.Append(builder, start, nameof(Loss), Loss);
        RecordText.Append(builder, start, nameof(Accuracy), Accuracy);
        RecordText.Append(builder, start, nameof(Rmse), Rmse);
        RecordText.Append(builder, start, nameof(RSquared), RSquared);
        return builder.Length > start;
    }
}
