namespace NeuralNet.Metrics;

/// <summary>
/// The mean absolute error over all outputs, <c>(1/(N·m)) Σ |ŷ − y|</c> (scikit-learn's
/// <c>mean_absolute_error</c>, whose uniform average over m outputs is the same number).
/// Class-index targets count as one-hot.
/// </summary>
public sealed class MeanAbsoluteError : Metric
{
    private double _sum;
    private long _count;

    /// <inheritdoc />
    public override string Name => "mae";

    /// <inheritdoc />
    public override bool HigherIsBetter => false;

    /// <inheritdoc />
    public override void Reset() => (_sum, _count) = (0, 0);

    /// <inheritdoc />
    public override void Update(in MetricBatch batch)
    {
        for (int c = 0; c < batch.Outputs; c++)
        {
            for (int i = 0; i < batch.Rows; i++)
            {
                _sum += Math.Abs(batch.OutputAt(i, c) - batch.ExpectedOutput(i, c)); // Σ |ŷ − y|
            }
        }

        _count += batch.Output.Length;
    }

    /// <inheritdoc />
    public override double Result() => _count == 0 ? double.NaN : _sum / _count; // (1/(N·m)) Σ |ŷ − y|
}
