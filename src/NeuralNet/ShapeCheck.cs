using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Kernels;

namespace NeuralNet;

/// <summary>The argument checks of the public boundary: each throws before any state changes, naming the argument, what was expected and what was received.</summary>
internal static class ShapeCheck
{
    public static void NotEmpty<T>(Matrix<T> matrix, string parameterName)
        where T : struct, IFloatingPointIeee754<T>
    {
        if (matrix.RowCount == 0 || matrix.ColumnCount == 0)
        {
            throw new ArgumentException($"{parameterName} must have at least one row and one column (received {matrix.RowCount}×{matrix.ColumnCount}).", parameterName);
        }
    }

    public static void Columns<T>(Matrix<T> matrix, int columns, string parameterName)
        where T : struct, IFloatingPointIeee754<T>
    {
        NotEmpty(matrix, parameterName);
        if (matrix.ColumnCount != columns)
        {
            throw new ArgumentException($"{parameterName} must have {columns} columns, one per input feature, and one row per sample (received {matrix.RowCount}×{matrix.ColumnCount}).", parameterName);
        }
    }

    public static void Shape<T>(Matrix<T> matrix, int rows, int columns, string parameterName)
        where T : struct, IFloatingPointIeee754<T>
    {
        if (matrix.RowCount != rows || matrix.ColumnCount != columns)
        {
            throw new ArgumentException($"{parameterName} must be {rows}×{columns} (received {matrix.RowCount}×{matrix.ColumnCount}).", parameterName);
        }
    }

    public static void Finite<T>(Matrix<T> matrix, string parameterName)
        where T : struct, IFloatingPointIeee754<T>
        => Finite<T>(DenseStorage.Of(matrix), matrix.RowCount, parameterName);

    public static void Finite<T>(ReadOnlySpan<T> values, int rows, string parameterName)
        where T : struct, IFloatingPointIeee754<T>
    {
        if (Elementwise.AllFinite(values))
        {
            return;
        }

        for (int i = 0; i < values.Length; i++)
        {
            if (!T.IsFinite(values[i]))
            {
                throw new ArgumentException($"{parameterName} must contain only finite numbers (received {values[i]} at row {i % Math.Max(rows, 1)}, column {i / Math.Max(rows, 1)}).", parameterName);
            }
        }
    }
}
