using System.Numerics;
using NeuralNet.Initializers;
using NeuralNet.Onnx;

namespace NeuralNet.Activations;

/// <summary>The sigmoid-weighted linear unit (also called Swish), <c>f(z) = z·σ(z)</c>.</summary>
/// <typeparam name="T">The element type.</typeparam>
public sealed class SiLU<T> : ElementwiseActivationFunction<T>
    where T : struct, IFloatingPointIeee754<T>
{
    /// <inheritdoc />
    public override string Name => "silu";

    /// <inheritdoc />
    public override ActivationOutput OutputKind => ActivationOutput.Real;

    /// <inheritdoc />
    public override WeightInitializer DefaultInitializer => WeightInitializer.HeUniform;

    /// <inheritdoc />
    public override T Value(T z) => z * Sigmoid<T>.Logistic(z); // z·σ(z)

    /// <inheritdoc />
    public override T Derivative(T z, T a)
    {
        T s = Sigmoid<T>.Logistic(z);
        return s + z * s * (T.One - s); // σ(z)(1 + z(1 − σ(z)))
    }

    /// <inheritdoc />
    public override void ExportOnnx(OnnxGraph<T> graph, string z, string a)
    {
        ShapeCheck.ExportArguments(graph, z, a);
        graph.Node("Sigmoid", [z], $"{a}.sigmoid");
        graph.Node("Mul", [z, $"{a}.sigmoid"], a); // z·σ(z)
    }
}
