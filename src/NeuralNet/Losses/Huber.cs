using System.Numerics;

namespace NeuralNet.Losses;

/// <summary>
/// Huber loss (PyTorch's <c>HuberLoss</c>), mean over all elements of <c>½d²</c> where <c>|d| ≤ δ</c>
/// and <c>δ(|d| − ½δ)</c> elsewhere, with <c>d = y − t</c>: quadratic near the target, linear for
/// outliers. <c>∂ℓ/∂y = d</c> or <c>δ·sign(d)</c>.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
public sealed class Huber<T> : LossFunction<T>
    where T : struct, IFloatingPointIeee754<T>
{
    private readonly T _delta;

    /// <summary>Creates a Huber loss.</summary>
    /// <param name="delta">Where the loss turns from quadratic to linear; must be positive; default 1.</param>
    public Huber(double delta = 1.0)
    {
        if (!(delta > 0 && double.IsFinite(delta)) || !T.IsFinite(Constant(delta)) || T.IsZero(Constant(delta)))
        {
            throw new ArgumentOutOfRangeException(nameof(delta), delta, $"delta must be a number > 0, finite and not 0 as {typeof(T).Name} (received {delta}).");
        }

        Delta = delta;
        _delta = Constant(delta);
    }

    /// <summary>The threshold between the quadratic and the linear part.</summary>
    public double Delta { get; }

    /// <inheritdoc />
    public override string Name => "huber";

    /// <inheritdoc />
    protected internal override T Value(ReadOnlySpan<T> prediction, ReadOnlySpan<T> target, ReadOnlySpan<T> sampleWeights, int rows, int columns)
    {
        T half = Constant(0.5);
        T sum = T.Zero;
        for (int i = 0; i < prediction.Length; i++)
        {
            T d = T.Abs(prediction[i] - target[i]);
            T l = d <= _delta ? half * d * d : _delta * (d - half * _delta); // ½d² or δ(|d| − ½δ)
            sum += WeightOf(sampleWeights, i % rows) * l;
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
            T g = T.Abs(d) <= _delta ? d : (d > T.Zero ? _delta : -_delta); // d or δ·sign(d)
            gradient[i] = scale * WeightOf(sampleWeights, i % rows) * g;
        }
    }
}
