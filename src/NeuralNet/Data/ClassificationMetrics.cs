namespace NeuralNet.Data;

/// <summary>Metrics of predicted classes against true classes (see <see cref="ConfusionMatrix"/> for per-class ones).</summary>
public static class ClassificationMetrics
{
    /// <summary>The share of samples whose predicted class equals the true class, in [0, 1].</summary>
    /// <param name="actual">The true classes.</param>
    /// <param name="predicted">The predicted classes, as many as <paramref name="actual"/>.</param>
    public static double Accuracy(IReadOnlyList<int> actual, IReadOnlyList<int> predicted)
    {
        CheckPairs(actual, predicted);
        int correct = 0;
        for (int i = 0; i < actual.Count; i++)
        {
            correct += actual[i] == predicted[i] ? 1 : 0;
        }

        return correct / (double)actual.Count; // (1/N) Σ [ŷ_n = y_n]
    }

    internal static void CheckPairs(IReadOnlyList<int> actual, IReadOnlyList<int> predicted)
    {
        ArgumentNullException.ThrowIfNull(actual);
        ArgumentNullException.ThrowIfNull(predicted);
        if (actual.Count == 0)
        {
            throw new ArgumentException("actual must hold at least one sample (received none).", nameof(actual));
        }

        if (predicted.Count != actual.Count)
        {
            throw new ArgumentException($"predicted must hold one class per sample: {actual.Count} (received {predicted.Count}).", nameof(predicted));
        }
    }
}
