using System.Numerics;
using MathNet.Numerics.LinearAlgebra;

namespace NeuralNet.Tests;

/// <summary>Seeded random test inputs.</summary>
internal static class RandomMatrices
{
    /// <summary>A rows × columns matrix of uniform values in [low, high), drawn in double and rounded to T.</summary>
    public static Matrix<T> Uniform<T>(RandomSource random, int rows, int columns, double low = -1, double high = 1)
        where T : struct, IFloatingPointIeee754<T>
        => Matrix<T>.Build.Dense(rows, columns, (_, _) => T.CreateChecked(low + (high - low) * random.NextDouble()));

    /// <summary>Like <see cref="Uniform{T}"/>, but every value at least <paramref name="gap"/> away from 0 (to keep finite differences off kinks).</summary>
    public static Matrix<T> AwayFromZero<T>(RandomSource random, int rows, int columns, double scale = 3, double gap = 1e-3)
        where T : struct, IFloatingPointIeee754<T>
        => Matrix<T>.Build.Dense(rows, columns, (_, _) =>
        {
            double v = (gap + (scale - gap) * random.NextDouble()) * (random.NextDouble() < 0.5 ? -1 : 1);
            return T.CreateChecked(v);
        });

    /// <summary>One-hot rows for random classes.</summary>
    public static Matrix<T> OneHot<T>(RandomSource random, int rows, int classes)
        where T : struct, IFloatingPointIeee754<T>
    {
        var m = Matrix<T>.Build.Dense(rows, classes);
        for (int r = 0; r < rows; r++)
        {
            m[r, random.NextInt(classes)] = T.One;
        }

        return m;
    }

    /// <summary>Converts a double matrix to T.</summary>
    public static Matrix<T> To<T>(Matrix<double> m)
        where T : struct, IFloatingPointIeee754<T>
        => m.Map(v => T.CreateChecked(v));
}
