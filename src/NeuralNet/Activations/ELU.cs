using System.Numerics;
using NeuralNet.Initializers;
using System.Text.Json.Nodes;
using NeuralNet.Onnx;

namespace NeuralNet.Activations;

/// <summary>The exponential linear unit, <c>f(z) = z</c> for <c>z &gt; 0</c>, else <c>α(e^z − 1)</c>.</summary>
/// <typeparam name="T">The element type.</typeparam>
public sealed class ELU<T> : ElementwiseActivationFunction<T>
    where T : struct, IFloatingPointIeee754<T>
{
    private readonly T _alpha;

    /// <summary>Creates an ELU.</summary>
    /// <param name="alpha">The saturation value for large negative inputs is −α; must be positive; default 1.</param>
    public ELU(double alpha = 1.0)
    {
        if (!(alpha > 0 && double.IsFinite(alpha)) || !T.IsFinite(Constant(alpha)))
        {
            throw new ArgumentOutOfRangeException(nameof(alpha), alpha, $"alpha must be a number > 0, finite as {typeof(T).Name} (received {alpha}).");
        }

        Alpha = alpha;
        _alpha = Constant(alpha);
    }

    /// <summary>The scale of the negative part.</summary>
    public double Alpha { get; }

    /// <inheritdoc />
    public override string Name => "elu";

    /// <inheritdoc />
    public override ActivationOutput OutputKind => ActivationOutput.Real;

    /// <inheritdoc />
    public override WeightInitializer DefaultInitializer => WeightInitializer.HeUniform;

    /// <inheritdoc />
    public override T Value(T z) => z > T.Zero ? z : _alpha * T.ExpM1(z); // z or α(e^z − 1)

    /// <inheritdoc />
    public override T Derivative(T z, T a) => z > T.Zero ? T.One : a + _alpha; // 1 or α·e^z = f(z) + α

    /// <inheritdoc />
    public override JsonObject GetConfig() => new() { ["alpha"] = Alpha };

    /// <inheritdoc />
    public override void ExportOnnx(OnnxGraph<T> graph, string z, string a)
    {
        ShapeCheck.ExportArguments(graph, z, a);
        if (typeof(T) == typeof(double))
        {
            // ONNX Runtime has Elu for float only
            OnnxActivations.NegativeExpM1(graph, z, a);
            graph.Node("Mul", [$"{a}.expm1", graph.Constant(Alpha)], $"{a}.negative");
            graph.Node("Relu", [z], $"{a}.positive");
            graph.Node("Add", [$"{a}.positive", $"{a}.negative"], a); // max(z, 0) + α(e^min(z, 0) − 1)
            return;
        }

        graph.Node("Elu", [z], a, ("alpha", (float)Alpha));
    }
}
