using System.Numerics;
using System.Numerics.Tensors;

namespace NeuralNet.Data;

/// <summary>
/// Standardisation: each column to mean 0 and standard deviation 1 on the training data,
/// <c>x' = (x − μ)/σ</c> with <c>σ = √(Σ(x − μ)²/n)</c> (the population deviation, as scikit-learn's
/// <c>StandardScaler</c>); a constant column keeps σ = 1.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
public sealed class StandardScaler<T> : FeatureScaler<T>
    where T : struct, IFloatingPointIeee754<T>
{
    /// <summary>Creates a scaler to fit with <see cref="FeatureScaler{T}.Fit"/>.</summary>
    public StandardScaler()
    {
    }

    /// <summary>Creates a fitted scaler from known statistics (e.g. saved ones): <c>x' = (x − μ)/σ</c>.</summary>
    /// <param name="mean">The mean μ of each column, finite.</param>
    /// <param name="standardDeviation">The deviation σ of each column, finite and ≥ 0 (0, a constant column, is taken as 1).</param>
    public StandardScaler(IReadOnlyList<T> mean, IReadOnlyList<T> standardDeviation)
    {
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(standardDeviation);
        if (standardDeviation.Any(s => s < T.Zero))
        {
            throw new ArgumentOutOfRangeException(nameof(standardDeviation), $"standard deviations must be ≥ 0 (received {string.Join(", ", standardDeviation)}).");
        }

        SetStatistics(mean, standardDeviation.Select(s => s == T.Zero ? T.One : s).ToArray(), nameof(mean));
    }

    /// <summary>A fitted scaler with exactly these saved center and scale values.</summary>
    internal static StandardScaler<T> FromAffine(IReadOnlyList<T> center, IReadOnlyList<T> scale)
    {
        var scaler = new StandardScaler<T>();
        scaler.SetStatistics(center, scale, nameof(center));
        return scaler;
    }

    /// <inheritdoc />
    protected override (T Center, T Scale) FitColumn(ReadOnlySpan<T> column)
    {
        T n = T.CreateChecked(column.Length);
        T mean = TensorPrimitives.Sum(column) / n; // μ = Σx/n
        T squares = T.Zero;
        foreach (T x in column)
        {
            squares += (x - mean) * (x - mean);
        }

        return (mean, T.Sqrt(squares / n)); // σ = √(Σ(x − μ)²/n)
    }
}
