using System.Numerics;
using NeuralNet.Initializers;
using NeuralNet.Kernels;
using NeuralNet.Onnx;

namespace NeuralNet.Activations;

/// <summary>The rectified linear unit, <c>f(z) = max(0, z)</c>; <c>f'(0)</c> is taken as 0.</summary>
/// <typeparam name="T">The element type.</typeparam>
public sealed class ReLU<T> : ElementwiseActivationFunction<T>
    where T : struct, IFloatingPointIeee754<T>
{
    /// <inheritdoc />
    public override string Name => "relu";

    /// <inheritdoc />
    public override ActivationOutput OutputKind => ActivationOutput.Real;

    /// <inheritdoc />
    public override WeightInitializer DefaultInitializer => WeightInitializer.HeUniform;

    /// <inheritdoc />
    public override T Value(T z) => z > T.Zero ? z : T.Zero; // max(0, z)

    /// <inheritdoc />
    public override T Derivative(T z, T a) => z > T.Zero ? T.One : T.Zero; // 1 for z > 0, else 0

    /// <inheritdoc />
    internal override bool MapsColumnRanges => true; // max(0, z) and its mask: each value alone, exact in both forms

    /// <inheritdoc />
    internal override bool DerivativeFromActivation => true; // a = max(0, z) > 0 exactly where z > 0 (a NaN z gives a = 0)

    /// <inheritdoc />
    internal override void ForwardOwnBuffers(ReadOnlySpan<T> z, Span<T> a, int rows, int columns)
    {
        if (!SharedMap<T, Rectify>.TryRun(z, a, default)) // a large batch on both cores
        {
            Elementwise.Map(z, a, default(Rectify));
        }
    }

    /// <inheritdoc />
    internal override void BackwardOwnBuffers(
        ReadOnlySpan<T> z, ReadOnlySpan<T> a, ReadOnlySpan<T> outputGradient, Span<T> inputGradient, int rows, int columns)
    {
        if (!SharedMap2<T, PassWherePositive>.TryRun(z, outputGradient, inputGradient, default))
        {
            Elementwise.Map(z, outputGradient, inputGradient, default(PassWherePositive));
        }
    }

    /// <summary>max(0, z).</summary>
    private readonly struct Rectify : IUnaryOperator<T>
    {
        public T Invoke(T z) => z > T.Zero ? z : T.Zero;

        public Vector<T> Invoke(Vector<T> z) => Vector.ConditionalSelect(Vector.GreaterThan(z, Vector<T>.Zero), z, Vector<T>.Zero);
    }

    /// <summary>g where z &gt; 0, else 0.</summary>
    private readonly struct PassWherePositive : IBinaryOperator<T>
    {
        public T Invoke(T z, T g) => z > T.Zero ? g : T.Zero;

        public Vector<T> Invoke(Vector<T> z, Vector<T> g) => Vector.ConditionalSelect(Vector.GreaterThan(z, Vector<T>.Zero), g, Vector<T>.Zero);
    }

    /// <inheritdoc />
    public override void ExportOnnx(OnnxGraph<T> graph, string z, string a)
    {
        ShapeCheck.ExportArguments(graph, z, a);
        graph.Node("Relu", [z], a);
    }
}
