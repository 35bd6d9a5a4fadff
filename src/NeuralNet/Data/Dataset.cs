using System.Numerics;
using MathNet.Numerics.LinearAlgebra;

namespace NeuralNet.Data;

/// <summary>
/// A table of samples: a feature matrix (one row per sample) and a target matrix with the same rows
/// (class indices, one-hot rows or regression values), with the names of their columns.
/// </summary>
/// <typeparam name="T">The element type, <see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class Dataset<T>
    where T : struct, IFloatingPointIeee754<T>
{
    /// <summary>Creates a data set from matrices with one row per sample.</summary>
    /// <param name="features">The features, <c>samples × features</c>.</param>
    /// <param name="targets">The targets, <c>samples × targets</c> (the same number of rows).</param>
    /// <param name="featureNames">A name per feature column; null for <c>x0, x1, …</c>.</param>
    /// <param name="targetNames">A name per target column; null for <c>y0, y1, …</c>.</param>
    public Dataset(Matrix<T> features, Matrix<T> targets, IReadOnlyList<string>? featureNames = null, IReadOnlyList<string>? targetNames = null)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(targets);
        if (features.RowCount != targets.RowCount)
        {
            throw new ArgumentException($"targets must have one row per sample: {features.RowCount} (received {targets.RowCount}).", nameof(targets));
        }

        Features = features;
        Targets = targets;
        FeatureNames = Names(featureNames, features.ColumnCount, "x", nameof(featureNames));
        TargetNames = Names(targetNames, targets.ColumnCount, "y", nameof(targetNames));
    }

    /// <summary>The features, <c>samples × features</c>.</summary>
    public Matrix<T> Features { get; }

    /// <summary>The targets, <c>samples × targets</c>.</summary>
    public Matrix<T> Targets { get; }

    /// <summary>The name of each feature column.</summary>
    public IReadOnlyList<string> FeatureNames { get; }

    /// <summary>The name of each target column.</summary>
    public IReadOnlyList<string> TargetNames { get; }

    /// <summary>The number of samples.</summary>
    public int Count => Features.RowCount;

    /// <summary>A new data set holding copies of the given rows, in the given order.</summary>
    /// <param name="rows">Row indices, each in [0, <see cref="Count"/>); repeats allowed.</param>
    public Dataset<T> Rows(IReadOnlyList<int> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        foreach (int r in rows)
        {
            if ((uint)r >= (uint)Count)
            {
                throw new ArgumentOutOfRangeException(nameof(rows), r, $"row indices must be in [0, {Count - 1}] (received {r}).");
            }
        }

        return new Dataset<T>(Select(Features, rows), Select(Targets, rows), FeatureNames, TargetNames);
    }

    /// <inheritdoc />
    public override string ToString() => $"Dataset<{typeof(T).Name}>[{Count} samples, {Features.ColumnCount} features, {Targets.ColumnCount} targets]";

    private static Matrix<T> Select(Matrix<T> source, IReadOnlyList<int> rows)
    {
        var result = Matrix<T>.Build.Dense(rows.Count, source.ColumnCount);
        for (int c = 0; c < source.ColumnCount; c++)
        {
            for (int i = 0; i < rows.Count; i++)
            {
                result[i, c] = source[rows[i], c];
            }
        }

        return result;
    }

    private static string[] Names(IReadOnlyList<string>? names, int count, string prefix, string parameterName)
    {
        if (names is null)
        {
            return Enumerable.Range(0, count).Select(i => prefix + i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        }

        if (names.Count != count)
        {
            throw new ArgumentException($"{parameterName} must hold one name per column: {count} (received {names.Count}).", parameterName);
        }

        return names.ToArray();
    }
}
