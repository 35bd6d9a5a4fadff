using System.Numerics;
using NeuralNet.Onnx;

namespace NeuralNet.Activations;

/// <summary>Softplus, <c>f(z) = ln(1 + e^z)</c>, a smooth ReLU; its derivative is the sigmoid.</summary>
/// <typeparam name="T">The element type.</typeparam>
public sealed class Softplus<T> : ElementwiseActivationFunction<T>
    where T : struct, IFloatingPointIeee754<T>
{
    /// <inheritdoc />
    public override string Name => "softplus";

    /// <inheritdoc />
    public override ActivationOutput OutputKind => ActivationOutput.Real;

    /// <inheritdoc />
    public override T Value(T z) => T.Max(z, T.Zero) + T.LogP1(T.Exp(-T.Abs(z))); // ln(1 + e^z), without overflow

    /// <inheritdoc />
    public override T Derivative(T z, T a) => Sigmoid<T>.Logistic(z); // f'(z) = σ(z)

    /// <inheritdoc />
    public override void ExportOnnx(OnnxGraph<T> graph, string z, string a)
    {
        ShapeCheck.ExportArguments(graph, z, a);
        if (typeof(T) == typeof(double))
        {
            // ONNX Runtime has Softplus for float only
            graph.Node("Abs", [z], $"{a}.abs");
            graph.Node("Neg", [$"{a}.abs"], $"{a}.negabs");
            graph.Node("Exp", [$"{a}.negabs"], $"{a}.exp");
            graph.Node("Add", [$"{a}.exp", graph.Constant(1)], $"{a}.sum");
            graph.Node("Log", [$"{a}.sum"], $"{a}.log");
            graph.Node("Relu", [z], $"{a}.positive");
            graph.Node("Add", [$"{a}.positive", $"{a}.log"], a); // max(z, 0) + ln(1 + e^−|z|)
            return;
        }

        graph.Node("Softplus", [z], a);
    }
}
