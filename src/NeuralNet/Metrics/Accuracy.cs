namespace NeuralNet.Metrics;

/// <summary>The share of samples whose predicted class is the true class, in [0, 1] (scikit-learn's <c>accuracy_score</c>).</summary>
public sealed class Accuracy : Metric
{
    private long _correct, _count;

    /// <inheritdoc />
    public override string Name => "accuracy";

    /// <inheritdoc />
    public override bool NeedsClasses => true;

    /// <inheritdoc />
    public override void Reset() => (_correct, _count) = (0, 0);

    /// <inheritdoc />
    public override void Update(in MetricBatch batch)
    {
        ReadOnlySpan<int> predicted = batch.PredictedClasses, actual = batch.ActualClasses;
        for (int i = 0; i < batch.Rows; i++)
        {
            _correct += predicted[i] == actual[i] ? 1 : 0;
        }

        _count += batch.Rows;
    }

    /// <inheritdoc />
    public override double Result() => _count == 0 ? double.NaN : _correct / (double)_count; // (1/N) Σ [ŷ_n = y_n]
}
