using System.Numerics;
using NeuralNet.Onnx;

namespace NeuralNet.Activations;

/// <summary>The identity, <c>f(z) = z</c>: the output of a regression network, or logits fed to a loss that applies softmax itself.</summary>
/// <typeparam name="T">The element type.</typeparam>
public sealed class Identity<T> : ElementwiseActivationFunction<T>
    where T : struct, IFloatingPointIeee754<T>
{
    /// <inheritdoc />
    public override string Name => "identity";

    /// <inheritdoc />
    public override ActivationOutput OutputKind => ActivationOutput.Real;

    /// <inheritdoc />
    public override T Value(T z) => z; // f(z) = z

    /// <inheritdoc />
    public override T Derivative(T z, T a) => T.One; // f'(z) = 1

    /// <inheritdoc />
    public override void Forward(ReadOnlySpan<T> z, Span<T> a, int rows, int columns)
    {
        ShapeCheck.BatchSpans(rows, columns, z.Length, nameof(z));
        ShapeCheck.BatchSpans(rows, columns, a.Length, nameof(a));
        ShapeCheck.Apart(z, a, sameAllowed: true, nameof(z), nameof(a));
        z.CopyTo(a);
    }

    /// <inheritdoc />
    public override void Backward(
        ReadOnlySpan<T> z, ReadOnlySpan<T> a, ReadOnlySpan<T> outputGradient, Span<T> inputGradient, int rows, int columns)
    {
        ShapeCheck.BatchSpans(rows, columns, outputGradient.Length, nameof(outputGradient));
        ShapeCheck.BatchSpans(rows, columns, inputGradient.Length, nameof(inputGradient));
        InputGradientApart(z, a, outputGradient, inputGradient);
        outputGradient.CopyTo(inputGradient);
    }

    /// <inheritdoc />
    internal override void ForwardOwnBuffers(ReadOnlySpan<T> z, Span<T> a, int rows, int columns)
        => z.CopyTo(a); // a = z: one copy, not a virtual Value call per element (benchmarks/README.md, Zen 4 section)

    /// <inheritdoc />
    internal override void BackwardOwnBuffers(
        ReadOnlySpan<T> z, ReadOnlySpan<T> a, ReadOnlySpan<T> outputGradient, Span<T> inputGradient, int rows, int columns)
        => outputGradient.CopyTo(inputGradient); // ∂L/∂z = ∂L/∂a · 1: the same values, copied

    /// <inheritdoc />
    public override void ExportOnnx(OnnxGraph<T> graph, string z, string a)
    {
        ShapeCheck.ExportArguments(graph, z, a);
        graph.Node("Identity", [z], a);
    }
}
