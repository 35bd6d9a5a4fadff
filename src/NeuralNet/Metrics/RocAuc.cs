namespace NeuralNet.Metrics;

/// <summary>
/// The area under the ROC curve of a binary classifier (scikit-learn's <c>roc_auc_score</c>): the
/// probability that a random positive sample scores higher than a random negative one, ties counting
/// one half, <c>AUC = (Σ rank(positives) − n₊(n₊ + 1)/2) / (n₊ n₋)</c> with tied scores given their mean
/// rank. The score is the single output (probability or logit), or <c>output₁ − output₀</c> for two
/// outputs; only the order of the scores matters. NaN when the pass holds only one class (undefined;
/// scikit-learn raises an error).
/// </summary>
/// <remarks>Keeps every score of the pass (a <see cref="double"/> and a flag per sample), and sorts them once in <see cref="Result"/>.</remarks>
public sealed class RocAuc : Metric
{
    private double[] _scores = new double[256];
    private bool[] _positive = new bool[256];
    private int _count;

    /// <inheritdoc />
    public override string Name => "auc";

    /// <inheritdoc />
    public override bool NeedsClasses => true;

    /// <inheritdoc />
    public override string? Mismatch(int outputs, bool classifier)
        => base.Mismatch(outputs, classifier) ?? (outputs > 2 ? $"the metric '{Name}' is the binary ROC AUC: it needs one sigmoid output or two softmax outputs (received {outputs} outputs)" : null);

    /// <inheritdoc />
    public override void Reset() => _count = 0;

    /// <inheritdoc />
    public override void Update(in MetricBatch batch)
    {
        if (_count + batch.Rows > _scores.Length)
        {
            int size = Math.Max(_count + batch.Rows, 2 * _scores.Length); // grows in the first epoch only
            Array.Resize(ref _scores, size);
            Array.Resize(ref _positive, size);
        }

        for (int i = 0; i < batch.Rows; i++)
        {
            _scores[_count] = batch.Outputs == 1 ? batch.Output[i] : batch.OutputAt(i, 1) - batch.OutputAt(i, 0);
            _positive[_count++] = batch.ActualClasses[i] == 1;
        }
    }

    /// <inheritdoc />
    public override double Result()
    {
        Span<double> scores = _scores.AsSpan(0, _count);
        Span<bool> positive = _positive.AsSpan(0, _count);
        scores.Sort(positive);
        double rankSum = 0; // Σ of the positives' ranks (from 1), ties at their mean rank
        long positives = 0;
        for (int start = 0; start < _count;)
        {
            int end = start;
            while (end < _count && scores[end] == scores[start])
            {
                end++;
            }

            double meanRank = (start + 1 + end) / 2.0; // ranks start+1 … end
            for (int i = start; i < end; i++)
            {
                rankSum += positive[i] ? meanRank : 0;
                positives += positive[i] ? 1 : 0;
            }

            start = end;
        }

        long negatives = _count - positives;
        return positives == 0 || negatives == 0 ? double.NaN : (rankSum - (positives * (positives + 1) / 2.0)) / (positives * (double)negatives); // Mann–Whitney U / (n₊ n₋)
    }
}
