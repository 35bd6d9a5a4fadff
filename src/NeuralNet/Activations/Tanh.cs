using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace NeuralNet.Activations;

/// <summary>The hyperbolic tangent, <c>tanh(z)</c>, squashing into (−1, 1).</summary>
/// <typeparam name="T">The element type.</typeparam>
public sealed class Tanh<T> : ElementwiseActivationFunction<T>
    where T : struct, IFloatingPointIeee754<T>
{
    /// <inheritdoc />
    public override string Name => "tanh";

    /// <inheritdoc />
    public override T Value(T z) => T.Tanh(z);

    /// <inheritdoc />
    public override T Derivative(T z, T a) => T.One - a * a; // tanh'(z) = 1 − tanh²(z)

    /// <inheritdoc />
    public override void Forward(ReadOnlySpan<T> z, Span<T> a, int rows, int columns)
        => TensorPrimitives.Tanh(z, a); // vectorised tanh(z)

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
                (Vector.LoadUnsafe(ref rg, (nuint)i) * (Vector<T>.One - (av * av))).StoreUnsafe(ref rd, (nuint)i); // g·(1 − a²)
            }
        }

        for (; i < a.Length; i++)
        {
            inputGradient[i] = outputGradient[i] * Derivative(z[i], a[i]);
        }
    }
}
