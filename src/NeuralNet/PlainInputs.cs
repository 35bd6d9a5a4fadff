using System.Numerics;
using MathNet.Numerics.LinearAlgebra;

namespace NeuralNet;

/// <summary>Turns the plain .NET shapes a user holds (jagged and rectangular arrays, sequences of rows) into matrices, with errors that name the argument.</summary>
internal static class PlainInputs
{
    /// <summary>A matrix with one row per element of <paramref name="rows"/>; every row must have the same, non-zero length.</summary>
    public static Matrix<T> Rows<T>(IEnumerable<IReadOnlyList<T>> rows, string parameterName)
        where T : struct, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(rows, parameterName);
        IReadOnlyList<T>[] list = rows.ToArray();
        if (list.Length == 0)
        {
            throw new ArgumentException($"{parameterName} must hold at least one row (received none).", parameterName);
        }

        int columns = list[0]?.Count ?? 0;
        for (int r = 0; r < list.Length; r++)
        {
            if (list[r] is null)
            {
                throw new ArgumentException($"{parameterName} must not hold a null row (row {r}).", parameterName);
            }

            if (list[r].Count != columns || columns == 0)
            {
                throw new ArgumentException($"{parameterName} must have rows of one length, at least 1: {columns} as row 0 (received {list[r].Count} in row {r}).", parameterName);
            }
        }

        var matrix = Matrix<T>.Build.Dense(list.Length, columns);
        T[] storage = Kernels.DenseStorage.Of(matrix);
        for (int r = 0; r < list.Length; r++)
        {
            IReadOnlyList<T> row = list[r];
            for (int c = 0; c < columns; c++)
            {
                storage[r + (c * list.Length)] = row[c];
            }
        }

        return matrix;
    }

    /// <summary>A matrix of a rectangular array (<c>[row, column]</c>).</summary>
    public static Matrix<T> Rows<T>(T[,] rows, string parameterName)
        where T : struct, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(rows, parameterName);
        if (rows.GetLength(0) == 0 || rows.GetLength(1) == 0)
        {
            throw new ArgumentException($"{parameterName} must have at least one row and one column (received {rows.GetLength(0)}×{rows.GetLength(1)}).", parameterName);
        }

        return Matrix<T>.Build.DenseOfArray(rows);
    }

    /// <summary>A one-column matrix of <paramref name="values"/>.</summary>
    public static Matrix<T> Column<T>(IReadOnlyList<T> values, string parameterName)
        where T : struct, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(values, parameterName);
        return Matrix<T>.Build.Dense(values.Count, 1, values.ToArray());
    }

    /// <summary>The rows of a matrix as a jagged array.</summary>
    public static T[][] ToJagged<T>(Matrix<T> matrix)
        where T : struct, IFloatingPointIeee754<T>
        => matrix.ToRowArrays();

    /// <summary>A seed from an <see cref="int"/>: any value ≥ 0.</summary>
    public static ulong Seed(int seed, string parameterName)
        => seed >= 0 ? (ulong)seed : throw new ArgumentOutOfRangeException(parameterName, seed, $"seed must be ≥ 0 (received {seed}).");
}
