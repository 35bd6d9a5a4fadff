using System.Numerics;

namespace NeuralNet.Losses;

/// <summary>
/// Mean absolute error, <c>L = (1/(N·C)) Σ |y − t|</c>; <c>∂L/∂y = sign(y − t)/(N·C)</c>, taken as 0 where y = t.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
public sealed class MeanAbsoluteError<T> : LossFunction<T>
    where T : struct, IFloatingPointIeee754<T>
{
    /// <inheritdoc />
    public override string Name => "mae";

    /// <inheritdoc />
    protected internal override T Value(ReadOnlySpan<T> prediction, ReadOnlySpan<T> target, ReadOnlySpan<T> sampleWeights, int rows, int columns)
    {
        T sum = T.Zero;
        for (int i = 0; i < prediction.Length; i++)
        {
            sum += WeightOf(sampleWeights, i % rows) * T.Abs(prediction[i] - target[i]); // |y − t|
        }

        return sum / T.CreateChecked(prediction.Length);
    }

    /// <inheritdoc />
    protected internal override void Gradient(ReadOnlySpan<T> prediction, ReadOnlySpan<T> target, ReadOnlySpan<T> sampleWeights, Span<T> gradient, int rows, int columns)
    {
        T scale = T.One / T.CreateChecked(prediction.Length);
        for (int i = 0; i < prediction.Length; i++)
        {
            T d = prediction[i] - target[i];
            T sign = d > T.Zero ? T.One : d < T.Zero ? -T.One : T.Zero;
            gradient[i] = scale * WeightOf(sampleWeights, i % rows) * sign; // sign(y − t)/(N·C)
        }
    }
}
