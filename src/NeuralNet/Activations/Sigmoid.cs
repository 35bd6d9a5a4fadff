using System.Numerics;

namespace NeuralNet.Activations;

/// <summary>The logistic sigmoid, <c>σ(z) = 1 / (1 + e^−z)</c>, squashing into (0, 1).</summary>
/// <typeparam name="T">The element type.</typeparam>
public sealed class Sigmoid<T> : ElementwiseActivationFunction<T>
    where T : struct, IFloatingPointIeee754<T>
{
    /// <inheritdoc />
    public override string Name => "sigmoid";

    /// <inheritdoc />
    public override T Value(T z) => Logistic(z);

    /// <inheritdoc />
    public override T Derivative(T z, T a) => a * (T.One - a); // σ'(z) = σ(z)(1 − σ(z))

    /// <summary>σ(z) = 1/(1 + e^−z), evaluated so that e^x never overflows.</summary>
    internal static T Logistic(T z)
    {
        if (z >= T.Zero)
        {
            return T.One / (T.One + T.Exp(-z));
        }

        T e = T.Exp(z); // z < 0: σ(z) = e^z / (1 + e^z)
        return e / (T.One + e);
    }
}
