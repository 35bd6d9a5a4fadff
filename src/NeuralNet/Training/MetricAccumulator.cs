using System.Numerics;
using NeuralNet.Data;

namespace NeuralNet.Training;

/// <summary>
/// Accumulates an epoch's metrics batch by batch: accuracy for classifiers, RMSE and R² for
/// regression (R² per output against the spread of the whole set's targets, then averaged).
/// </summary>
internal sealed class MetricAccumulator<T> : IBatchObserver<T>
    where T : struct, IFloatingPointIeee754<T>
{
    private readonly bool _classifier;
    private readonly T _threshold;
    private readonly int[] _predicted;
    private readonly int[] _actual;
    private readonly double[] _totalSquares;
    private readonly double[] _squaredErrors;
    private long _correct;
    private long _count;

    /// <param name="classifier">Whether the loss is a classification loss.</param>
    /// <param name="threshold">The decision threshold of a single output (0.5 for probabilities, 0 for logits).</param>
    /// <param name="targets">All targets of the set (column-major), to measure their spread.</param>
    /// <param name="targetRows">Rows of the target matrix.</param>
    /// <param name="targetColumns">Columns of the target matrix.</param>
    /// <param name="rows">The rows of the set within the target matrix.</param>
    /// <param name="maxBatch">The largest batch that will be added.</param>
    public MetricAccumulator(bool classifier, T threshold, ReadOnlySpan<T> targets, int targetRows, int targetColumns, ReadOnlySpan<int> rows, int maxBatch)
    {
        _classifier = classifier;
        _threshold = threshold;
        _predicted = classifier ? new int[maxBatch] : [];
        _actual = classifier ? new int[maxBatch] : [];
        _squaredErrors = new double[classifier ? 0 : targetColumns];
        _totalSquares = new double[_squaredErrors.Length];
        var column = new T[rows.Length];
        for (int c = 0; c < _totalSquares.Length; c++)
        {
            for (int i = 0; i < rows.Length; i++)
            {
                column[i] = targets[rows[i] + c * targetRows];
            }

            _totalSquares[c] = RegressionMetrics.SumOfSquaresAboutMean<T>(column);
        }
    }

    void IBatchObserver<T>.Observe(ReadOnlySpan<T> output, ReadOnlySpan<T> target, int rows, int outputs, int targetColumns) => Add(output, target, rows, outputs, targetColumns);

    public void Reset()
    {
        _correct = 0;
        _count = 0;
        Array.Clear(_squaredErrors);
    }

    public void Add(ReadOnlySpan<T> output, ReadOnlySpan<T> target, int rows, int outputs, int targetColumns)
    {
        _count += rows;
        if (_classifier)
        {
            Span<int> predicted = _predicted.AsSpan(0, rows), actual = _actual.AsSpan(0, rows);
            ClassLabels.FromScores(output, rows, outputs, _threshold, predicted);
            if (targetColumns == 1 && outputs > 1)
            {
                for (int i = 0; i < rows; i++)
                {
                    actual[i] = int.CreateTruncating(target[i]); // class-index targets
                }
            }
            else
            {
                ClassLabels.FromScores(target, rows, targetColumns, T.CreateChecked(0.5), actual);
            }

            for (int i = 0; i < rows; i++)
            {
                _correct += predicted[i] == actual[i] ? 1 : 0;
            }

            return;
        }

        for (int c = 0; c < outputs; c++)
        {
            _squaredErrors[c] += RegressionMetrics.SumOfSquaredErrors(target.Slice(c * rows, rows), output.Slice(c * rows, rows));
        }
    }

    public double? Accuracy => _classifier && _count > 0 ? _correct / (double)_count : null;

    public double? Rmse => _classifier || _count == 0 ? null : Math.Sqrt(_squaredErrors.Sum() / (_count * (double)_squaredErrors.Length)); // √(SSE/N)

    public double? RSquared
    {
        get
        {
            if (_classifier || _count == 0)
            {
                return null;
            }

            double sum = 0;
            for (int c = 0; c < _squaredErrors.Length; c++)
            {
                sum += RegressionMetrics.RSquared(_squaredErrors[c], _totalSquares[c]);
            }

            return sum / _squaredErrors.Length;
        }
    }
}
