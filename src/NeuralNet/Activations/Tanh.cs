using System.Numerics;
using NeuralNet.Kernels;
using NeuralNet.Onnx;

namespace NeuralNet.Activations;

/// <summary>The hyperbolic tangent, <c>tanh(z)</c>, squashing into (−1, 1).</summary>
/// <typeparam name="T">The element type.</typeparam>
public sealed class Tanh<T> : ElementwiseActivationFunction<T>
    where T : struct, IFloatingPointIeee754<T>
{
    private const int ShortSpan = 16; // fewer values than this (one sample's units) take the scalar form: see Elementwise.Map

    /// <inheritdoc />
    public override string Name => "tanh";

    /// <inheritdoc />
    public override ActivationOutput OutputKind => ActivationOutput.Real;

    /// <inheritdoc />
    public override T Value(T z) => T.Tanh(z);

    /// <inheritdoc />
    public override T Derivative(T z, T a) => T.One - a * a; // tanh'(z) = 1 − tanh²(z)

    /// <inheritdoc />
    internal override void ForwardOwnBuffers(ReadOnlySpan<T> z, Span<T> a, int rows, int columns)
    {
        Elementwise.Map(z, a, default(TanhOperator), ShortSpan);
    }

    /// <inheritdoc />
    internal override void BackwardOwnBuffers(
        ReadOnlySpan<T> z, ReadOnlySpan<T> a, ReadOnlySpan<T> outputGradient, Span<T> inputGradient, int rows, int columns)
    {
        Elementwise.Map(a, outputGradient, inputGradient, default(TanhGradient));
    }

    /// <summary>
    /// tanh(z): the scalar form <c>T.Tanh</c>, the SIMD form 1 − 2/(1 + e^2z) (within a few units of the last place of
    /// 1, absolutely, like the scalar form; e^2z = ∞ gives 1 and e^2z = 0 gives −1).
    /// </summary>
    private readonly struct TanhOperator : IUnaryOperator<T>
    {
        public T Invoke(T z) => T.Tanh(z);

        public Vector<T> Invoke(Vector<T> z)
        {
            var two = new Vector<T>(T.CreateTruncating(2));
            return Vector<T>.One - (two / (Vector<T>.One + VectorMath.Exp(z * two)));
        }
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
        ShapeCheck.ExportArguments(graph, z, a);
        graph.Node("Tanh", [z], a);
    }
}
