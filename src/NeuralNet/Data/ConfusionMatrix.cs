using System.Globalization;
using System.Text;

namespace NeuralNet.Data;

/// <summary>
/// Counts of (actual class, predicted class) pairs, and the classification metrics read from them:
/// accuracy, and per class precision <c>TP/(TP + FP)</c>, recall <c>TP/(TP + FN)</c> and F1
/// <c>2PR/(P + R)</c> (0 where a denominator is 0, as scikit-learn's <c>zero_division=0</c>).
/// </summary>
public sealed class ConfusionMatrix
{
    private readonly int[,] _counts;

    /// <summary>Counts the pairs of <paramref name="actual"/> and <paramref name="predicted"/> classes.</summary>
    /// <param name="actual">The true class of each sample, in [0, <paramref name="classes"/>).</param>
    /// <param name="predicted">The predicted class of each sample, as many as <paramref name="actual"/>.</param>
    /// <param name="classes">The number of classes ≥ 2.</param>
    public ConfusionMatrix(IReadOnlyList<int> actual, IReadOnlyList<int> predicted, int classes)
    {
        ClassificationMetrics.CheckPairs(actual, predicted);
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 2);
        ShapeCheck.Product(classes, classes, "the counts (classes × classes)", nameof(classes));
        _counts = new int[classes, classes];
        for (int i = 0; i < actual.Count; i++)
        {
            CheckClass(actual[i], classes, i, nameof(actual));
            CheckClass(predicted[i], classes, i, nameof(predicted));
        }

        for (int i = 0; i < actual.Count; i++)
        {
            _counts[actual[i], predicted[i]]++;
        }

        Total = actual.Count;
    }

    /// <summary>The number of classes.</summary>
    public int Classes => _counts.GetLength(0);

    /// <summary>The number of samples counted.</summary>
    public int Total { get; }

    /// <summary>Samples of class <paramref name="actual"/> predicted as <paramref name="predicted"/>.</summary>
    /// <param name="actual">The true class.</param>
    /// <param name="predicted">The predicted class.</param>
    public int this[int actual, int predicted] => _counts[actual, predicted];

    /// <summary>The share of samples predicted correctly, <c>Σ_k C[k,k] / N</c>.</summary>
    public double Accuracy => Enumerable.Range(0, Classes).Sum(k => _counts[k, k]) / (double)Total;

    /// <summary>Samples whose true class is <paramref name="k"/>.</summary>
    /// <param name="k">The class.</param>
    public int Support(int k) => Enumerable.Range(0, Classes).Sum(j => _counts[Class(k), j]);

    /// <summary>Precision of class <paramref name="k"/>: <c>TP/(TP + FP)</c>, 0 when nothing was predicted as k.</summary>
    /// <param name="k">The class.</param>
    public double Precision(int k) => Ratio(_counts[Class(k), k], Enumerable.Range(0, Classes).Sum(i => _counts[i, k]));

    /// <summary>Recall of class <paramref name="k"/>: <c>TP/(TP + FN)</c>, 0 when no sample is of class k.</summary>
    /// <param name="k">The class.</param>
    public double Recall(int k) => Ratio(_counts[Class(k), k], Support(k));

    /// <summary>F1 of class <paramref name="k"/>: <c>2PR/(P + R)</c>, the harmonic mean of precision and recall.</summary>
    /// <param name="k">The class.</param>
    public double F1(int k) => F1Of(Precision(k), Recall(k));

    /// <summary><c>numerator / denominator</c>, 0 when the denominator is 0 (scikit-learn's <c>zero_division=0</c>); precision and recall (here and in the training metrics) are this ratio.</summary>
    internal static double Ratio(long numerator, long denominator) => denominator == 0 ? 0 : numerator / (double)denominator;

    /// <summary>The harmonic mean of precision and recall, <c>2PR/(P + R)</c>, 0 when both are 0 (here and in the training metrics).</summary>
    internal static double F1Of(double precision, double recall) => precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall); // 2PR/(P + R)

    /// <summary>The matrix (rows: actual, columns: predicted) and a per-class table of precision, recall, F1 and support.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        CultureInfo inv = CultureInfo.InvariantCulture;
        text.Append("actual\\predicted").AppendJoin("", Enumerable.Range(0, Classes).Select(k => k.ToString(inv).PadLeft(7))).AppendLine();
        for (int i = 0; i < Classes; i++)
        {
            text.Append(i.ToString(inv).PadLeft(16)).AppendJoin("", Enumerable.Range(0, Classes).Select(j => _counts[i, j].ToString(inv).PadLeft(7))).AppendLine();
        }

        text.AppendLine().AppendLine("class  precision  recall      f1  support");
        for (int k = 0; k < Classes; k++)
        {
            text.AppendLine(inv, $"{k,5}  {Precision(k),9:F4}  {Recall(k),6:F4}  {F1(k),6:F4}  {Support(k),7}");
        }

        return text.AppendLine(inv, $"accuracy {Accuracy:F4} of {Total}").ToString();
    }

    private int Class(int k)
    {
        if ((uint)k >= (uint)Classes)
        {
            throw new ArgumentOutOfRangeException(nameof(k), k, $"k must be a class in [0, {Classes - 1}] (received {k}).");
        }

        return k;
    }

    private static void CheckClass(int k, int classes, int index, string parameterName)
    {
        if ((uint)k >= (uint)classes)
        {
            throw new ArgumentOutOfRangeException(parameterName, k, $"{parameterName} classes must be in [0, {classes - 1}] (received {k} at index {index}).");
        }
    }
}
