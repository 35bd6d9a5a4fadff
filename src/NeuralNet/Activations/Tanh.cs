using System.Numerics;
using NeuralNet.Kernels;
using NeuralNet.Serialization;

namespace NeuralNet.Activations;

/// <summary>The hyperbolic tangent, <c>tanh(z)</c>, squashing into (−1, 1).</summary>
/// <typeparam name="T">The element type.</typeparam>
public sealed class Tanh<T> : ElementwiseActivationFunction<T>
    where T : struct, IFloatingPointIeee754<T>
{
    /// <inheritdoc />
    public override string Name => "tanh";

    /// <inheritdoc />
    public override ActivationOutput OutputKind => ActivationOutput.Real;

    /// <inheritdoc />
    public override T Value(T z) => T.Tanh(z);

    /// <inheritdoc />
    public override T Derivative(T z, T a) => T.One - a * a; // tanh'(z) = 1 − tanh²(z)

    /// <inheritdoc />
    private protected override bool BackwardBatch(ReadOnlySpan<T> z, ReadOnlySpan<T> a, ReadOnlySpan<T> outputGradient, Span<T> inputGradient)
    {
        Elementwise.Map(a, outputGradient, inputGradient, default(TanhGradient));
        return true;
    }

    /// <summary>g·(1 − a²).</summary>
    private readonly struct TanhGradient : IBinaryOperator<T>
    {
        public T Invoke(T a, T g) => g * (T.One - a * a);

        public Vector<T> Invoke(Vector<T> a, Vector<T> g) => g * (Vector<T>.One - (a * a));
    }

    /// <inheritdoc />
    public override void ExportOnnx(OnnxGraph<T> graph, string z, string a)
    {
        ArgumentNullException.ThrowIfNull(graph);
        graph.Node("Tanh", [z], a);
    }
}
