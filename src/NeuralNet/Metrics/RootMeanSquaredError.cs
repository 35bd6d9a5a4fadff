namespace NeuralNet.Metrics;

/// <summary>
/// The root mean squared error over all outputs, <c>√((1/(N·m)) Σ (ŷ − y)²)</c> (for one output,
/// scikit-learn's <c>mean_squared_error(squared=False)</c>; with several outputs this is the root of the
/// mean over all elements, not the mean of per-output roots). Class-index targets count as one-hot.
/// </summary>
public sealed class RootMeanSquaredError : Metric
{
    private double _sum;
    private long _count;

    /// <inheritdoc />
    public override string Name => "rmse";

    /// <inheritdoc />
    public override bool HigherIsBetter => false;

    /// <inheritdoc />
    public override void Reset() => (_sum, _count) = (0, 0);

    /// <inheritdoc />
    public override void Update(in MetricBatch batch)
    {
        if (batch.TargetColumns == batch.Outputs)
        {
            _sum += Data.RegressionMetrics.SumOfSquaredErrors<double>(batch.Target, batch.Output); // Σ (ŷ − y)²
        }
        else
        {
            for (int c = 0; c < batch.Outputs; c++)
            {
                for (int i = 0; i < batch.Rows; i++)
                {
                    double e = batch.OutputAt(i, c) - batch.ExpectedOutput(i, c);
                    _sum += e * e;
                }
            }
        }

        _count += batch.Output.Length;
    }

    /// <inheritdoc />
    public override double Result() => _count == 0 ? double.NaN : Math.Sqrt(_sum / _count); // √(SSE / (N·m))
}
