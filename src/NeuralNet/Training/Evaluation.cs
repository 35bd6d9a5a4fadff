namespace NeuralNet.Training;

/// <summary>
/// The loss and metrics of a network on a data set (<see cref="Trainer{T}.Evaluate"/>): accuracy for
/// classifiers, RMSE and R² for regression; the metrics of the other kind are null.
/// </summary>
/// <param name="Loss">The mean loss.</param>
/// <param name="Accuracy">The share of samples classified correctly (classifiers).</param>
/// <param name="Rmse">The root mean squared error (regression).</param>
/// <param name="RSquared">The coefficient of determination R² (regression).</param>
public sealed record Evaluation(double Loss, double? Accuracy, double? Rmse, double? RSquared);
