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

    /// <summary>The number of columns the scaler was fitted on.</summary>
    public int ColumnCount => (_center ?? throw NotFitted()).Length;

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

    /// <summary>Rescales one row in place, <c>x' = (x − center)/scale</c>, allocating nothing.</summary>
    /// <param name="row">The row's values, as many as the fitted columns.</param>
    public void TransformRow(Span<T> row)
    {
        T[] center = _center ?? throw NotFitted();
        if (row.Length != center.Length)
        {
            throw new ArgumentException($"row must have the {center.Length} values the scaler was fitted on (received {row.Length}).", nameof(row));
        }

        for (int c = 0; c < row.Length; c++)
        {
            row[c] = (row[c] - center[c]) / _scale![c];
        }
    }

    /// <summary>Undoes <see cref="TransformRow"/> in place: <c>x = x'·scale + center</c>, allocating nothing.</summary>
    /// <param name="row">The rescaled row's values, as many as the fitted columns.</param>
    public void InverseTransformRow(Span<T> row)
    {
        T[] center = _center ?? throw NotFitted();
        if (row.Length != center.Length)
        {
            throw new ArgumentException($"row must have the {center.Length} values the scaler was fitted on (received {row.Length}).", nameof(row));
        }

        for (int c = 0; c < row.Length; c++)
        {
            row[c] = (row[c] * _scale![c]) + center[c];
        }
    }

    /// <summary>Sets the fitted center and scale of every column (a scaler built from saved or known statistics).</summary>
    /// <param name="center">The center of each column, finite.</param>
    /// <param name="scale">The scale of each column, finite and not 0.</param>
    /// <param name="parameterName">The argument to name in errors.</param>
    private protected void SetStatistics(IReadOnlyList<T> center, IReadOnlyList<T> scale, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(center, parameterName);
        ArgumentNullException.ThrowIfNull(scale, parameterName);
        if (center.Count == 0 || center.Count != scale.Count)
        {
            throw new ArgumentException($"the statistics must hold one value per column, at least one, as many of each (received {center.Count} and {scale.Count}).", parameterName);
        }

        for (int c = 0; c < center.Count; c++)
        {
            if (!T.IsFinite(center[c]) || !T.IsFinite(scale[c]) || scale[c] == T.Zero)
            {
                throw new ArgumentException($"the statistics must be finite with a scale other than 0 (received center {center[c]}, scale {scale[c]} for column {c}).", parameterName);
            }
        }

        _center = center.ToArray();
        _scale = scale.ToArray();
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
