using System.Numerics;
using MathNet.Numerics.LinearAlgebra;

namespace NeuralNet.Data;

/// <summary>One-hot encoding: class index k of C classes becomes a row of C values, 1 at k and 0 elsewhere.</summary>
public static class OneHot
{
    /// <summary>Encodes class indices as one-hot rows.</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="labels">A class index per sample, each in [0, <paramref name="classes"/>).</param>
    /// <param name="classes">The number of classes C ≥ 2.</param>
    /// <returns>A <c>samples × C</c> matrix.</returns>
    public static Matrix<T> Encode<T>(IReadOnlyList<int> labels, int classes)
        where T : struct, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 2);
        if (labels.Count == 0)
        {
            throw new ArgumentException("labels must hold at least one sample (received none).", nameof(labels));
        }

        ShapeCheck.Product(labels.Count, classes, "the one-hot matrix (labels × classes)", nameof(classes));
        var result = Matrix<T>.Build.Dense(labels.Count, classes);
        for (int i = 0; i < labels.Count; i++)
        {
            int k = labels[i];
            if ((uint)k >= (uint)classes)
            {
                throw new ArgumentOutOfRangeException(nameof(labels), k, $"labels must be class indices in [0, {classes - 1}] (received {k} at index {i}).");
            }

            result[i, k] = T.One;
        }

        return result;
    }

    /// <summary>Encodes a column of class indices (an <c>N × 1</c> target matrix) as one-hot rows.</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="classIndices">An <c>N × 1</c> matrix of whole numbers in [0, <paramref name="classes"/>).</param>
    /// <param name="classes">The number of classes C ≥ 2.</param>
    public static Matrix<T> Encode<T>(Matrix<T> classIndices, int classes)
        where T : struct, IFloatingPointIeee754<T>
        => Encode<T>(ClassLabels.FromIndices(classIndices), classes);
}
