namespace NeuralNet.Metrics;

/// <summary>
/// The share of samples whose true class is among the <see cref="K"/> highest-scoring outputs
/// (scikit-learn's <c>top_k_accuracy_score</c>, including its order on ties: of equal scores the
/// higher class index ranks first). With one output (two classes) top-1 is the accuracy and top-k for k ≥ 2 is 1.
/// </summary>
public sealed class TopKAccuracy : Metric
{
    private long _hits, _count;

    /// <summary>Creates the metric.</summary>
    /// <param name="k">How many of the best classes count as a hit, ≥ 1 (1 is <see cref="Accuracy"/> but for ties).</param>
    public TopKAccuracy(int k)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        K = k;
    }

    /// <summary>How many of the best classes count as a hit.</summary>
    public int K { get; }

    /// <inheritdoc />
    public override string Name => $"top{K}_accuracy";

    /// <inheritdoc />
    public override bool NeedsClasses => true;

    /// <inheritdoc />
    public override void Reset() => (_hits, _count) = (0, 0);

    /// <inheritdoc />
    public override void Update(in MetricBatch batch)
    {
        ReadOnlySpan<int> actual = batch.ActualClasses, predicted = batch.PredictedClasses;
        for (int i = 0; i < batch.Rows && batch.Outputs == 1; i++)
        {
            _hits += K >= 2 || predicted[i] == actual[i] ? 1 : 0;
        }

        for (int i = 0; i < batch.Rows && batch.Outputs > 1; i++)
        {
            int y = actual[i], rank = 0; // rank of the true class: classes scoring higher, and equal ones of a higher index
            double truth = batch.OutputAt(i, y);
            for (int c = 0; c < batch.Outputs; c++)
            {
                double s = batch.OutputAt(i, c);
                rank += s > truth || (s == truth && c > y) ? 1 : 0;
            }

            _hits += rank < K ? 1 : 0; // hit when y is among the k best: rank(y) < k
        }

        _count += batch.Rows;
    }

    /// <inheritdoc />
    public override double Result() => _count == 0 ? double.NaN : _hits / (double)_count;
}
