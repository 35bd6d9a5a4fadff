using System.Numerics;
using NeuralNet.Initializers;

namespace NeuralNet.Activations;

/// <summary>The rectified linear unit, <c>f(z) = max(0, z)</c>; <c>f'(0)</c> is taken as 0.</summary>
/// <typeparam name="T">The element type.</typeparam>
public sealed class ReLU<T> : ElementwiseActivationFunction<T>
    where T : struct, IFloatingPointIeee754<T>
{
    /// <inheritdoc />
    public override string Name => "relu";

    /// <inheritdoc />
    public override WeightInitializer DefaultInitializer => WeightInitializer.HeUniform;

    /// <inheritdoc />
    public override T Value(T z) => z > T.Zero ? z : T.Zero; // max(0, z)

    /// <inheritdoc />
    public override T Derivative(T z, T a) => z > T.Zero ? T.One : T.Zero; // 1 for z > 0, else 0
}
