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
