using System.Numerics;

namespace NeuralNet.Activations;

/// <summary>The hyperbolic tangent, <c>tanh(z)</c>, squashing into (−1, 1).</summary>
/// <typeparam name="T">The element type.</typeparam>
public sealed class Tanh<T> : ElementwiseActivationFunction<T>
    where T : struct, IFloatingPointIeee754<T>
{
    /// <inheritdoc />
    public override string Name => "tanh";

    /// <inheritdoc />
    public override T Value(T z) => T.Tanh(z);

    /// <inheritdoc />
    public override T Derivative(T z, T a) => T.One - a * a; // tanh'(z) = 1 − tanh²(z)
}
