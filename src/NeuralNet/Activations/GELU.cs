using System.Numerics;
using NeuralNet.Initializers;
using NeuralNet.Onnx;

namespace NeuralNet.Activations;

/// <summary>
/// The Gaussian error linear unit in its exact form, <c>f(z) = z·Φ(z) = ½z(1 + erf(z/√2))</c>
/// (PyTorch's <c>GELU(approximate='none')</c>).
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
public sealed class GELU<T> : ElementwiseActivationFunction<T>
    where T : struct, IFloatingPointIeee754<T>
{
    private const double InverseSqrt2 = 0.70710678118654752440084436210485;
    private const double InverseSqrt2Pi = 0.39894228040143267793994605993438;

    /// <inheritdoc />
    public override string Name => "gelu";

    /// <inheritdoc />
    public override ActivationOutput OutputKind => ActivationOutput.Real;

    /// <inheritdoc />
    public override WeightInitializer DefaultInitializer => WeightInitializer.HeUniform;

    /// <inheritdoc />
    public override T Value(T z)
    {
        double x = double.CreateChecked(z);
        return T.CreateChecked(0.5 * x * (1.0 + MathNet.Numerics.SpecialFunctions.Erf(x * InverseSqrt2))); // zΦ(z)
    }

    /// <inheritdoc />
    public override T Derivative(T z, T a)
    {
        double x = double.CreateChecked(z);
        double cdf = 0.5 * (1.0 + MathNet.Numerics.SpecialFunctions.Erf(x * InverseSqrt2));
        double pdf = InverseSqrt2Pi * Math.Exp(-0.5 * x * x);
        return T.CreateChecked(cdf + x * pdf); // Φ(z) + zφ(z)
    }

    /// <inheritdoc />
    public override void ExportOnnx(OnnxGraph<T> graph, string z, string a)
    {
        ShapeCheck.ExportArguments(graph, z, a);
        graph.Node("Div", [z, graph.Constant(OnnxActivations.Sqrt2)], $"{a}.scaled");
        if (typeof(T) == typeof(double))
        {
            // ONNX Runtime has Erf for float only: erf in float between two Casts (relative error about 1e-7)
            graph.Node("Cast", [$"{a}.scaled"], $"{a}.scaled32", ("to", OnnxActivations.OnnxFloat));
            graph.Node("Erf", [$"{a}.scaled32"], $"{a}.erf32");
            graph.Node("Cast", [$"{a}.erf32"], $"{a}.erf", ("to", OnnxActivations.OnnxDouble));
        }
        else
        {
            graph.Node("Erf", [$"{a}.scaled"], $"{a}.erf");
        }

        graph.Node("Add", [$"{a}.erf", graph.Constant(1)], $"{a}.cdf2");
        graph.Node("Mul", [z, $"{a}.cdf2"], $"{a}.twice");
        graph.Node("Mul", [$"{a}.twice", graph.Constant(0.5)], a); // ½z(1 + erf(z/√2))
    }
}
