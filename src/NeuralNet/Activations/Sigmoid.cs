using System.Numerics;
using System.Numerics.Tensors;
using NeuralNet.Kernels;
using NeuralNet.Serialization;

namespace NeuralNet.Activations;

/// <summary>The logistic sigmoid, <c>σ(z) = 1 / (1 + e^−z)</c>, squashing into (0, 1).</summary>
/// <typeparam name="T">The element type.</typeparam>
public sealed class Sigmoid<T> : ElementwiseActivationFunction<T>
    where T : struct, IFloatingPointIeee754<T>
{
    private const int ShortSpan = 16;

    /// <inheritdoc />
    public override string Name => "sigmoid";

    /// <inheritdoc />
    public override ActivationOutput OutputKind => ActivationOutput.Probabilities;

    /// <inheritdoc />
    public override T Value(T z) => Logistic(z);

    /// <inheritdoc />
    public override T Derivative(T z, T a) => a * (T.One - a); // σ'(z) = σ(z)(1 − σ(z))

    /// <inheritdoc />
    private protected override bool ForwardBatch(ReadOnlySpan<T> z, Span<T> a)
    {
        if (z.Length < ShortSpan)
        {
            // A few units (per-sample training): a plain loop, without the vector set-up.
            for (int i = 0; i < z.Length; i++)
            {
                a[i] = Logistic(z[i]);
            }

            return true;
        }

        TensorPrimitives.Sigmoid(z, a); // σ(z) = 1/(1 + e^−z), vectorised
        return true;
    }

    /// <inheritdoc />
    private protected override bool BackwardBatch(ReadOnlySpan<T> z, ReadOnlySpan<T> a, ReadOnlySpan<T> outputGradient, Span<T> inputGradient)
    {
        Elementwise.Map(a, outputGradient, inputGradient, default(SigmoidGradient));
        return true;
    }

    /// <summary>
    /// g·σ(1 − σ). The two forms round in different orders ((g·σ)(1 − σ) in vectors, g·(σ(1 − σ)) for the last few
    /// elements, as <see cref="Derivative"/>), kept so because results have always been computed so.
    /// </summary>
    private readonly struct SigmoidGradient : IBinaryOperator<T>
    {
        public T Invoke(T a, T g) => g * (a * (T.One - a));

        public Vector<T> Invoke(Vector<T> a, Vector<T> g) => g * a * (Vector<T>.One - a);
    }

    /// <summary>σ(z) = 1/(1 + e^−z), evaluated so that e^x never overflows.</summary>
    internal static T Logistic(T z)
    {
        if (z >= T.Zero)
        {
            return T.One / (T.One + T.Exp(-z));
        }

        T e = T.Exp(z); // z < 0: σ(z) = e^z / (1 + e^z)
        return e / (T.One + e);
    }

    /// <inheritdoc />
    public override void ExportOnnx(OnnxGraph<T> graph, string z, string a)
    {
        ArgumentNullException.ThrowIfNull(graph);
        graph.Node("Sigmoid", [z], a);
    }
}
