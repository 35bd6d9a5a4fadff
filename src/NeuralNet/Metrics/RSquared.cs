using NeuralNet.Data;

namespace NeuralNet.Metrics;

/// <summary>
/// The coefficient of determination per output, <c>R² = 1 − Σ(y − ŷ)²/Σ(y − ȳ)²</c>, averaged over the
/// outputs (scikit-learn's <c>r2_score</c> with <c>multioutput="uniform_average"</c>): 1 for perfect
/// predictions, 0 for always predicting the mean, negative for worse. A constant target column scores 1
/// when predicted exactly and 0 otherwise (as scikit-learn; constant means all values equal, whatever the rounding of their mean). Class-index targets count as one-hot.
/// </summary>
/// <remarks>The spread Σ(y − ȳ)² of the whole pass is gathered batch by batch with Chan's pairwise update of mean and sum of squares, so it needs no second pass.</remarks>
public sealed class RSquared : Metric
{
    private double[] _residual = [], _mean = [], _spread = [], _min = [], _max = [];
    private long _count;

    /// <inheritdoc />
    public override string Name => "r2";

    /// <inheritdoc />
    public override void Reset()
    {
        Array.Clear(_residual);
        Array.Clear(_mean);
        Array.Clear(_spread);
        Array.Fill(_min, double.PositiveInfinity);
        Array.Fill(_max, double.NegativeInfinity);
        _count = 0;
    }

    /// <inheritdoc />
    public override void Update(in MetricBatch batch)
    {
        if (_residual.Length != batch.Outputs)
        {
            (_residual, _mean, _spread) = (new double[batch.Outputs], new double[batch.Outputs], new double[batch.Outputs]); // once per run
            (_min, _max) = (new double[batch.Outputs], new double[batch.Outputs]);
            Array.Fill(_min, double.PositiveInfinity);
            Array.Fill(_max, double.NegativeInfinity);
        }

        int n = batch.Rows;
        for (int c = 0; c < batch.Outputs; c++)
        {
            double mean = 0, spread = 0;
            for (int i = 0; i < n; i++)
            {
                double y = batch.ExpectedOutput(i, c), e = batch.OutputAt(i, c) - y;
                _residual[c] += e * e; // Σ (y − ŷ)²
                mean += y;
                (_min[c], _max[c]) = (Math.Min(_min[c], y), Math.Max(_max[c], y));
            }

            mean /= n;
            for (int i = 0; i < n; i++)
            {
                double d = batch.ExpectedOutput(i, c) - mean;
                spread += d * d;
            }

            // Chan et al.: merge the batch's (n, mean, M2) into the pass's; M2 = Σ (y − ȳ)²
            double delta = mean - _mean[c], total = _count + n;
            _spread[c] += spread + (delta * delta * _count * n / total);
            _mean[c] += delta * n / total;
        }

        _count += n;
    }

    /// <inheritdoc />
    public override double Result()
    {
        if (_count == 0)
        {
            return double.NaN;
        }

        double sum = 0;
        for (int c = 0; c < _residual.Length; c++)
        {
            sum += RegressionMetrics.RSquared(_residual[c], _min[c] == _max[c] ? 0 : _spread[c]); // R² = 1 − SS_res/SS_tot per output
        }

        return sum / _residual.Length;
    }
}
