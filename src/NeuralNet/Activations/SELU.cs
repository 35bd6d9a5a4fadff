using System.Numerics;
using NeuralNet.Initializers;
using NeuralNet.Onnx;

namespace NeuralNet.Activations;

/// <summary>
/// The scaled ELU of Klambauer et al. (2017), <c>f(z) = λz</c> for <c>z &gt; 0</c>, else
/// <c>λα(e^z − 1)</c>, with λ ≈ 1.0507 and α ≈ 1.6733; self-normalising with LeCun-normal weights.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
public sealed class SELU<T> : ElementwiseActivationFunction<T>
    where T : struct, IFloatingPointIeee754<T>
{
    private static readonly T Lambda = Constant(1.0507009873554804934193349852946);
    private static readonly T LambdaAlpha = Constant(1.0507009873554804934193349852946 * 1.6732632423543772848170429916717);

    /// <inheritdoc />
    public override string Name => "selu";

    /// <inheritdoc />
    public override ActivationOutput OutputKind => ActivationOutput.Real;

    /// <inheritdoc />
    public override WeightInitializer DefaultInitializer => WeightInitializer.LeCunNormal;

    /// <inheritdoc />
    public override T Value(T z) => z > T.Zero ? Lambda * z : LambdaAlpha * T.ExpM1(z); // λz or λα(e^z − 1)

    /// <inheritdoc />
    public override T Derivative(T z, T a) => z > T.Zero ? Lambda : a + LambdaAlpha; // λ or λα·e^z

    /// <inheritdoc />
    public override void ExportOnnx(OnnxGraph<T> graph, string z, string a)
    {
        ShapeCheck.ExportArguments(graph, z, a);
        if (typeof(T) == typeof(double))
        {
            // ONNX Runtime has Selu for float only
            OnnxActivations.NegativeExpM1(graph, z, a);
            graph.Node("Mul", [$"{a}.expm1", graph.Constant(OnnxActivations.SeluAlpha)], $"{a}.negative");
            graph.Node("Relu", [z], $"{a}.positive");
            graph.Node("Add", [$"{a}.positive", $"{a}.negative"], $"{a}.elu");
            graph.Node("Mul", [$"{a}.elu", graph.Constant(OnnxActivations.SeluLambda)], a); // λ(max(z, 0) + α(e^min(z, 0) − 1))
            return;
        }

        graph.Node("Selu", [z], a, ("alpha", (float)OnnxActivations.SeluAlpha), ("gamma", (float)OnnxActivations.SeluLambda));
    }
}
