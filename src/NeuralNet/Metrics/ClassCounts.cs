using NeuralNet.Data;

namespace NeuralNet.Metrics;

/// <summary>
/// Per class: true positives, predicted and actual counts; and their macro average as scikit-learn
/// takes it (<c>average="macro"</c>, <c>zero_division=0</c>): the mean over the classes that occur
/// among the true or the predicted classes, a ratio with a zero denominator counting 0.
/// </summary>
internal sealed class ClassCounts
{
    private long[] _truePositives = [], _predicted = [], _actual = [];

    public void Reset()
    {
        Array.Clear(_truePositives);
        Array.Clear(_predicted);
        Array.Clear(_actual);
    }

    public void Update(in MetricBatch batch)
    {
        if (_actual.Length != batch.Classes)
        {
            (_truePositives, _predicted, _actual) = (new long[batch.Classes], new long[batch.Classes], new long[batch.Classes]); // once per run
        }

        ReadOnlySpan<int> predicted = batch.PredictedClasses, actual = batch.ActualClasses;
        for (int i = 0; i < batch.Rows; i++)
        {
            _predicted[predicted[i]]++;
            _actual[actual[i]]++;
            _truePositives[actual[i]] += predicted[i] == actual[i] ? 1 : 0;
        }
    }

    /// <summary>Precision of class k: <c>TP/(TP + FP)</c>, 0 when nothing was predicted as k.</summary>
    public double Precision(int k) => ConfusionMatrix.Ratio(_truePositives[k], _predicted[k]); // TP / (TP + FP)

    /// <summary>Recall of class k: <c>TP/(TP + FN)</c>, 0 when no sample is of class k.</summary>
    public double Recall(int k) => ConfusionMatrix.Ratio(_truePositives[k], _actual[k]); // TP / (TP + FN)

    /// <summary>F1 of class k: the harmonic mean of its precision and recall, 0 when both are 0.</summary>
    public double F1(int k) => ConfusionMatrix.F1Of(Precision(k), Recall(k)); // 2PR/(P + R)

    /// <summary>The mean of <paramref name="perClass"/> over the classes that were predicted or occurred; NaN when none did.</summary>
    public double Macro(Func<int, double> perClass)
    {
        double sum = 0;
        int classes = 0;
        for (int k = 0; k < _actual.Length; k++)
        {
            if (_actual[k] + _predicted[k] > 0)
            {
                sum += perClass(k);
                classes++;
            }
        }

        return classes == 0 ? double.NaN : sum / classes; // (1/K) Σ_k metric_k over the K classes seen
    }
}
