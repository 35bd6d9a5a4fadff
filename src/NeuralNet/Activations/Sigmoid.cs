using System.Numerics;
using System.Runtime.CompilerServices;
using NeuralNet.Kernels;
using NeuralNet.Onnx;

namespace NeuralNet.Activations;

/// <summary>The logistic sigmoid, <c>σ(z) = 1 / (1 + e^−z)</c>, squashing into (0, 1).</summary>
/// <typeparam name="T">The element type.</typeparam>
public sealed class Sigmoid<T> : ElementwiseActivationFunction<T>
    where T : struct, IFloatingPointIeee754<T>
{
    private const int ShortSpan = 16; // fewer values than this (one sample's units) take the scalar form: see Elementwise.Map

    /// <inheritdoc />
    public override string Name => "sigmoid";

    /// <inheritdoc />
    public override ActivationOutput OutputKind => ActivationOutput.Probabilities;

    /// <inheritdoc />
    public override T Value(T z) => Logistic(z);

    /// <inheritdoc />
    public override T Derivative(T z, T a) => a * (T.One - a); // σ'(z) = σ(z)(1 − σ(z))

    /// <inheritdoc />
    internal override void ForwardOwnBuffers(ReadOnlySpan<T> z, Span<T> a, int rows, int columns)
    {
        Elementwise.Map(z, a, default(LogisticOperator), ShortSpan);
    }

    internal override void BackwardOwnBuffers(
        ReadOnlySpan<T> z, ReadOnlySpan<T> a, ReadOnlySpan<T> outputGradient, Span<T> inputGradient, int rows, int columns)
    {
        Elementwise.Map(a, outputGradient, inputGradient, default(SigmoidGradient));
    }

    /// <summary>σ(z): the scalar form as <see cref="Logistic"/>, the SIMD form 1/(1 + e^−z) (e^−z = ∞ gives 0).</summary>
    private readonly struct LogisticOperator : IUnaryOperator<T>
    {
        public T Invoke(T z) => Logistic(z);

        public Vector<T> Invoke(Vector<T> z) => Vector<T>.One / (Vector<T>.One + VectorMath.Exp(-z));
    }

    /// <summary>
    /// g·σ(1 − σ). The two forms round in different orders ((g·σ)(1 − σ) in vectors, g·(σ(1 − σ)) for the last few
    /// elements, as <see cref="Derivative"/>), kept so because results have always been computed so.
    /// </summary>
    private readonly struct SigmoidGradient : IBinaryOperator<T>
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)] // precompiled code called it per value otherwise
        public T Invoke(T a, T g) => g * (a * (T.One - a));

        public Vector<T> Invoke(Vector<T> a, Vector<T> g) => g * a * (Vector<T>.One - a);
    }

    /// <summary>σ(z) = 1/(1 + e^−z), evaluated so that e^x never overflows.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static T Logistic(T z)
    {
        if (z >= T.Zero)
        {
            return T.One / (T.One + VectorMath.Exp(-z));
        }

        T e = VectorMath.Exp(z); // z < 0: σ(z) = e^z / (1 + e^z)
        return e / (T.One + e);
    }

    /// <inheritdoc />
    public override void ExportOnnx(OnnxGraph<T> graph, string z, string a)
    {
        ShapeCheck.ExportArguments(graph, z, a);
        graph.Node("Sigmoid", [z], a);
    }
}
