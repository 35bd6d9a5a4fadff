using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;

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
    public override T Value(T z) => Logistic(z);

    /// <inheritdoc />
    public override T Derivative(T z, T a) => a * (T.One - a); // σ'(z) = σ(z)(1 − σ(z))

    /// <inheritdoc />
    public override void Forward(ReadOnlySpan<T> z, Span<T> a, int rows, int columns)
    {
        if (z.Length < ShortSpan)
        {
            base.Forward(z, a, rows, columns); // a few units (per-sample training): no set-up at all
            return;
        }

        TensorPrimitives.Sigmoid(z, a); // σ(z) = 1/(1 + e^−z), vectorised
    }

    /// <inheritdoc />
    public override void Backward(
        ReadOnlySpan<T> z, ReadOnlySpan<T> a, ReadOnlySpan<T> outputGradient, Span<T> inputGradient, int rows, int columns)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported)
        {
            ref T ra = ref MemoryMarshal.GetReference(a), rg = ref MemoryMarshal.GetReference(outputGradient);
            ref T rd = ref MemoryMarshal.GetReference(inputGradient);
            for (; i <= a.Length - Vector<T>.Count; i += Vector<T>.Count)
            {
                Vector<T> av = Vector.LoadUnsafe(ref ra, (nuint)i);
                (Vector.LoadUnsafe(ref rg, (nuint)i) * av * (Vector<T>.One - av)).StoreUnsafe(ref rd, (nuint)i); // g·σ(1 − σ)
            }
        }

        for (; i < a.Length; i++)
        {
            inputGradient[i] = outputGradient[i] * Derivative(z[i], a[i]);
        }
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
}
