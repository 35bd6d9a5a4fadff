using System.Numerics;
using MathNet.Numerics.LinearAlgebra;

namespace NeuralNet.Data;

/// <summary>
/// A per-column affine rescaling <c>x' = (x − center)/scale</c>, fitted on training data only and then
/// applied unchanged to every other set (validation, test, new samples), so no information from
/// those sets leaks into training.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
public abstract class FeatureScaler<T>
    where T : struct, IFloatingPointIeee754<T>
{
    private T[]? _center;
    private T[]? _scale;

    /// <summary>Whether <see cref="Fit"/> has been called.</summary>
    public bool IsFitted => _center is not null;

    /// <summary>The fitted center of each column.</summary>
    public IReadOnlyList<T> Center => _center ?? throw NotFitted();

    /// <summary>The fitted scale of each column (never 0).</summary>
    public IReadOnlyList<T> Scale => _scale ?? throw NotFitted();

    /// <summary>Learns the center and scale of each column of <paramref name="training"/>.</summary>
    /// <param name="training">The training data, <c>samples × columns</c>, finite, at least one row.</param>
    /// <returns>This scaler.</returns>
    public FeatureScaler<T> Fit(Matrix<T> training)
    {
        ArgumentNullException.ThrowIfNull(training);
        ShapeCheck.NotEmpty(training, nameof(training));
        ShapeCheck.Finite(training, nameof(training));
        var center = new T[training.ColumnCount];
        var scale = new T[training.ColumnCount];
        T[] values = Kernels.DenseStorage.Of(training);
        for (int c = 0; c < training.ColumnCount; c++)
        {
            (center[c], scale[c]) = FitColumn(values.AsSpan(c * training.RowCount, training.RowCount));
            if (scale[c] == T.Zero || !T.IsFinite(scale[c]))
            {
                scale[c] = T.One; // a constant column is only shifted
            }
        }

        _center = center;
        _scale = scale;
        return this;
    }

    /// <summary>Returns the rescaled copy <c>(x − center)/scale</c> of <paramref name="data"/>.</summary>
    /// <param name="data">Data with the fitted number of columns.</param>
    public Matrix<T> Transform(Matrix<T> data)
    {
        (T[] center, T[] scale) = Checked(data);
        return data.MapIndexed((_, c, x) => (x - center[c]) / scale[c]); // x' = (x − center)/scale
    }

    /// <summary>Fits on <paramref name="training"/> and returns it rescaled.</summary>
    /// <param name="training">The training data.</param>
    public Matrix<T> FitTransform(Matrix<T> training) => Fit(training).Transform(training);

    /// <summary>Undoes <see cref="Transform"/>: <c>x = x'·scale + center</c> (e.g. to report predictions of a scaled target in its units).</summary>
    /// <param name="data">Rescaled data with the fitted number of columns.</param>
    public Matrix<T> InverseTransform(Matrix<T> data)
    {
        (T[] center, T[] scale) = Checked(data);
        return data.MapIndexed((_, c, x) => (x * scale[c]) + center[c]);
    }

    /// <summary>The center and scale of one column of training data.</summary>
    /// <param name="column">The column's values, finite, at least one.</param>
    protected abstract (T Center, T Scale) FitColumn(ReadOnlySpan<T> column);

    private (T[] Center, T[] Scale) Checked(Matrix<T> data)
    {
        ArgumentNullException.ThrowIfNull(data);
        T[] center = _center ?? throw NotFitted();
        if (data.ColumnCount != center.Length)
        {
            throw new ArgumentException($"data must have the {center.Length} columns the scaler was fitted on (received {data.RowCount}×{data.ColumnCount}).", nameof(data));
        }

        return (center, _scale!);
    }

    private InvalidOperationException NotFitted() => new($"{GetType().Name.Split('`')[0]} is not fitted: call Fit on the training data first.");
}
