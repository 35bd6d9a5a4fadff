using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Kernels;

namespace NeuralNet.Data;

/// <summary>
/// Metrics of predicted values against true values, both <c>samples × outputs</c>. With several
/// outputs, RMSE and MAE are taken over all elements and R² is the mean of the per-output R²
/// (scikit-learn's <c>uniform_average</c>).
/// </summary>
public static class RegressionMetrics
{
    /// <summary>Root mean squared error <c>√((1/N) Σ (ŷ − y)²)</c>.</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="actual">The true values.</param>
    /// <param name="predicted">The predictions, shaped like <paramref name="actual"/>.</param>
    public static double RootMeanSquaredError<T>(Matrix<T> actual, Matrix<T> predicted)
        where T : struct, IFloatingPointIeee754<T>
    {
        Check(actual, predicted);
        return Math.Sqrt(SumOfSquaredErrors<T>(DenseStorage.Of(actual), DenseStorage.Of(predicted)) / (actual.RowCount * (double)actual.ColumnCount));
    }

    /// <summary>Mean absolute error <c>(1/N) Σ |ŷ − y|</c>.</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="actual">The true values.</param>
    /// <param name="predicted">The predictions, shaped like <paramref name="actual"/>.</param>
    public static double MeanAbsoluteError<T>(Matrix<T> actual, Matrix<T> predicted)
        where T : struct, IFloatingPointIeee754<T>
    {
        Check(actual, predicted);
        ReadOnlySpan<T> y = DenseStorage.Of(actual), p = DenseStorage.Of(predicted);
        double sum = 0;
        for (int i = 0; i < y.Length; i++)
        {
            sum += Math.Abs(double.CreateChecked(p[i] - y[i])); // Σ|ŷ − y|
        }

        return sum / y.Length;
    }

    /// <summary>
    /// The coefficient of determination <c>R² = 1 − Σ(y − ŷ)²/Σ(y − ȳ)²</c>: 1 for perfect predictions,
    /// 0 for always predicting the mean, negative for worse. A constant output column scores 1 when
    /// predicted exactly and 0 otherwise (as scikit-learn).
    /// </summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="actual">The true values.</param>
    /// <param name="predicted">The predictions, shaped like <paramref name="actual"/>.</param>
    public static double RSquared<T>(Matrix<T> actual, Matrix<T> predicted)
        where T : struct, IFloatingPointIeee754<T>
    {
        Check(actual, predicted);
        int rows = actual.RowCount;
        ReadOnlySpan<T> y = DenseStorage.Of(actual), p = DenseStorage.Of(predicted);
        double total = 0;
        for (int c = 0; c < actual.ColumnCount; c++)
        {
            ReadOnlySpan<T> yc = y.Slice(c * rows, rows);
            double residual = SumOfSquaredErrors(yc, p.Slice(c * rows, rows));
            total += RSquared(residual, SumOfSquaresAboutMean(yc));
        }

        return total / actual.ColumnCount;
    }

    /// <summary><c>1 − residual/spread</c>, with scikit-learn's convention for a constant target.</summary>
    internal static double RSquared(double residualSquares, double totalSquares)
        => totalSquares == 0 ? (residualSquares == 0 ? 1 : 0) : 1 - (residualSquares / totalSquares); // R² = 1 − SS_res/SS_tot

    /// <summary><c>Σ (ŷ − y)²</c>.</summary>
    internal static double SumOfSquaredErrors<T>(ReadOnlySpan<T> actual, ReadOnlySpan<T> predicted)
        where T : struct, IFloatingPointIeee754<T>
    {
        double sum = 0;
        for (int i = 0; i < actual.Length; i++)
        {
            double e = double.CreateChecked(predicted[i] - actual[i]);
            sum += e * e;
        }

        return sum;
    }

    /// <summary><c>Σ (y − ȳ)²</c>.</summary>
    internal static double SumOfSquaresAboutMean<T>(ReadOnlySpan<T> values)
        where T : struct, IFloatingPointIeee754<T>
    {
        double mean = 0;
        foreach (T v in values)
        {
            mean += double.CreateChecked(v);
        }

        mean /= values.Length;
        double sum = 0;
        foreach (T v in values)
        {
            double d = double.CreateChecked(v) - mean;
            sum += d * d;
        }

        return sum;
    }

    private static void Check<T>(Matrix<T> actual, Matrix<T> predicted)
        where T : struct, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(actual);
        ArgumentNullException.ThrowIfNull(predicted);
        ShapeCheck.NotEmpty(actual, nameof(actual));
        ShapeCheck.Shape(predicted, actual.RowCount, actual.ColumnCount, nameof(predicted));
        ShapeCheck.Finite(actual, nameof(actual));
        ShapeCheck.Finite(predicted, nameof(predicted));
    }
}
