using System.Numerics;

namespace NeuralNet.Activations;

/// <summary>Softplus, <c>f(z) = ln(1 + e^z)</c>, a smooth ReLU; its derivative is the sigmoid.</summary>
/// <typeparam name="T">The element type.</typeparam>
public sealed class Softplus<T> : ElementwiseActivationFunction<T>
    where T : struct, IFloatingPointIeee754<T>
{
    /// <inheritdoc />
    public override string Name => "softplus";

    /// <inheritdoc />
    public override T Value(T z) => T.Max(z, T.Zero) + T.LogP1(T.Exp(-T.Abs(z))); // ln(1 + e^z), without overflow

    /// <inheritdoc />
    public override T Derivative(T z, T a) => Sigmoid<T>.Logistic(z); // f'(z) = σ(z)
}
