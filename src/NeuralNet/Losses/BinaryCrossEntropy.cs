using System.Numerics;
using NeuralNet.Activations;
using NeuralNet.Layers;

namespace NeuralNet.Losses;

/// <summary>
/// Binary cross-entropy, the mean over all elements of <c>ℓ = −[t·ln p + (1 − t)·ln(1 − p)]</c>, for
/// targets in [0, 1]. With <c>fromLogits</c> the predictions are logits z and <c>p = σ(z)</c> is folded
/// in stably: <c>ℓ = max(z, 0) − z·t + ln(1 + e^−|z|)</c>, <c>∂ℓ/∂z = σ(z) − t</c>.
/// </summary>
/// <remarks>
/// On probabilities, each logarithm is clamped at −100 (as PyTorch's <c>BCELoss</c> does) so a
/// saturated output gives a large finite loss, not infinity. After a <see cref="Sigmoid{T}"/> output
/// the network uses the fused gradient <c>(p − t)/(N·C)</c>.
/// </remarks>
/// <typeparam name="T">The element type.</typeparam>
public sealed class BinaryCrossEntropy<T> : LossFunction<T>
    where T : struct, IFloatingPointIeee754<T>
{
    private static readonly T LogFloor = Constant(-100.0);

    /// <summary>Creates a binary cross-entropy loss.</summary>
    /// <param name="fromLogits">True when the predictions are logits (an identity output layer); false for probabilities (a sigmoid output layer).</param>
    public BinaryCrossEntropy(bool fromLogits = false) => FromLogits = fromLogits;

    /// <summary>Whether predictions are logits rather than probabilities.</summary>
    public bool FromLogits { get; }

    /// <inheritdoc />
    public override string Name => FromLogits ? "binary_cross_entropy_logits" : "binary_cross_entropy";

    /// <inheritdoc />
    protected internal override T Value(ReadOnlySpan<T> prediction, ReadOnlySpan<T> target, ReadOnlySpan<T> sampleWeights, int rows, int columns)
    {
        T sum = T.Zero;
        for (int i = 0; i < prediction.Length; i++)
        {
            T y = prediction[i], t = target[i];
            T l = FromLogits
                ? T.Max(y, T.Zero) - y * t + T.LogP1(T.Exp(-T.Abs(y))) // max(z,0) − zt + ln(1 + e^−|z|)
                : -(t * T.Max(T.Log(y), LogFloor) + (T.One - t) * T.Max(T.Log(T.One - y), LogFloor)); // −[t ln p + (1−t) ln(1−p)]
            sum += WeightOf(sampleWeights, i % rows) * l;
        }

        return sum / T.CreateChecked(prediction.Length);
    }

    /// <inheritdoc />
    protected internal override void Gradient(ReadOnlySpan<T> prediction, ReadOnlySpan<T> target, ReadOnlySpan<T> sampleWeights, Span<T> gradient, int rows, int columns)
    {
        T scale = T.One / T.CreateChecked(prediction.Length);
        T tiny = Constant(1e-12);
        for (int i = 0; i < prediction.Length; i++)
        {
            T y = prediction[i], t = target[i];
            T g = FromLogits
                ? Sigmoid<T>.Logistic(y) - t // σ(z) − t
                : (y - t) / T.Max(y * (T.One - y), tiny); // (p − t)/(p(1 − p))
            gradient[i] = scale * WeightOf(sampleWeights, i % rows) * g;
        }
    }

    /// <inheritdoc />
    protected internal override void ValidateTargetValues(ReadOnlySpan<T> target, int rows, int outputs, int targetColumns, string parameterName)
    {
        foreach (T t in target)
        {
            if (t < T.Zero || t > T.One)
            {
                throw new ArgumentException($"{Name} expects targets in [0, 1] (received {t}).", parameterName);
            }
        }
    }

    /// <summary>Fused sigmoid + binary cross-entropy: <c>∂L/∂z = w(σ(z) − t)/(N·C)</c>.</summary>
    /// <inheritdoc />
    protected internal override string? OutputMismatch(Layer<T> outputLayer)
    {
        ArgumentNullException.ThrowIfNull(outputLayer);
        if (outputLayer.OutputKind == ActivationOutput.ProbabilityDistribution && outputLayer.OutputSize == 1)
        {
            return $"{Name} on {outputLayer}: a softmax over one unit always outputs 1, so the network could never learn. Use a Sigmoid output for the probability of class 1 (or two softmax units with CategoricalCrossEntropy).";
        }

        return !FromLogits && outputLayer.OutputKind == ActivationOutput.Real
            ? $"{Name} expects probabilities from the output layer, but {outputLayer} gives other real numbers, on which the loss is NaN or negative. Use new BinaryCrossEntropy<{typeof(T).Name}>(fromLogits: true) on that output, or end the network in a Sigmoid. (An activation or layer of your own whose outputs are probabilities says so through its OutputKind property.)"
            : null;
    }

    /// <inheritdoc />
    internal override bool TryFusedGradient(
        ActivationFunction<T> activation, ReadOnlySpan<T> output, ReadOnlySpan<T> target, ReadOnlySpan<T> sampleWeights,
        Span<T> preActivationGradient, int rows, int columns)
    {
        if (FromLogits || activation is not Sigmoid<T>)
        {
            return false;
        }

        T scale = T.One / T.CreateChecked(output.Length);
        for (int i = 0; i < output.Length; i++)
        {
            preActivationGradient[i] = scale * WeightOf(sampleWeights, i % rows) * (output[i] - target[i]);
        }

        return true;
    }
}
