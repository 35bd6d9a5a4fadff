using System.Numerics;
using MathNet.Numerics.LinearAlgebra;

namespace NeuralNet.Data;

/// <summary>Turns target and score matrices into one class index per sample.</summary>
public static class ClassLabels
{
    /// <summary>Reads an <c>N × 1</c> column of class indices (whole numbers ≥ 0).</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="classIndices">The column.</param>
    public static int[] FromIndices<T>(Matrix<T> classIndices)
        where T : struct, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(classIndices);
        if (classIndices.ColumnCount != 1)
        {
            throw new ArgumentException($"classIndices must have 1 column (received {classIndices.RowCount}×{classIndices.ColumnCount}).", nameof(classIndices));
        }

        var labels = new int[classIndices.RowCount];
        for (int i = 0; i < labels.Length; i++)
        {
            T v = classIndices[i, 0];
            if (!T.IsFinite(v) || v < T.Zero || v != T.Floor(v) || v > T.CreateChecked(int.MaxValue))
            {
                throw new ArgumentException($"class indices must be whole numbers ≥ 0 (received {v} at row {i}).", nameof(classIndices));
            }

            labels[i] = int.CreateChecked(v);
        }

        return labels;
    }

    /// <summary>
    /// The class of each row of a score matrix (probabilities, one-hot targets or logits): the column
    /// of the largest value (the first on ties); for a single column, 1 when the value is ≥
    /// <paramref name="threshold"/>, else 0.
    /// </summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="scores">The scores, <c>N × C</c>.</param>
    /// <param name="threshold">The decision threshold of a single column: 0.5 for probabilities, 0 for logits.</param>
    public static int[] FromScores<T>(Matrix<T> scores, double threshold = 0.5)
        where T : struct, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(scores);
        var labels = new int[scores.RowCount];
        FromScores(Kernels.DenseStorage.Of(scores), scores.RowCount, scores.ColumnCount, T.CreateChecked(threshold), labels);
        return labels;
    }

    /// <summary>The per-row decision of <see cref="FromScores{T}(Matrix{T}, double)"/>, on column-major storage.</summary>
    internal static void FromScores<T>(ReadOnlySpan<T> scores, int rows, int columns, T threshold, Span<int> labels)
        where T : struct, IFloatingPointIeee754<T>
    {
        for (int r = 0; r < rows; r++)
        {
            if (columns == 1)
            {
                labels[r] = scores[r] >= threshold ? 1 : 0;
                continue;
            }

            int best = 0;
            for (int c = 1; c < columns; c++)
            {
                if (scores[r + c * rows] > scores[r + best * rows])
                {
                    best = c;
                }
            }

            labels[r] = best; // argmax_c score[r, c]
        }
    }
}
