using System.Numerics;
using System.Runtime.InteropServices;
using NeuralNet.Initializers;

namespace NeuralNet.Activations;

/// <summary>The rectified linear unit, <c>f(z) = max(0, z)</c>; <c>f'(0)</c> is taken as 0.</summary>
/// <typeparam name="T">The element type.</typeparam>
public sealed class ReLU<T> : ElementwiseActivationFunction<T>
    where T : struct, IFloatingPointIeee754<T>
{
    /// <inheritdoc />
    public override string Name => "relu";

    /// <inheritdoc />
    public override WeightInitializer DefaultInitializer => WeightInitializer.HeUniform;

    /// <inheritdoc />
    public override T Value(T z) => z > T.Zero ? z : T.Zero; // max(0, z)

    /// <inheritdoc />
    public override T Derivative(T z, T a) => z > T.Zero ? T.One : T.Zero; // 1 for z > 0, else 0

    /// <inheritdoc />
    public override void Forward(ReadOnlySpan<T> z, Span<T> a, int rows, int columns)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported)
        {
            ref T rz = ref MemoryMarshal.GetReference(z), ra = ref MemoryMarshal.GetReference(a);
            for (; i <= z.Length - Vector<T>.Count; i += Vector<T>.Count)
            {
                Vector<T> zv = Vector.LoadUnsafe(ref rz, (nuint)i);
                Vector.ConditionalSelect(Vector.GreaterThan(zv, Vector<T>.Zero), zv, Vector<T>.Zero).StoreUnsafe(ref ra, (nuint)i); // z > 0 ? z : 0
            }
        }

        for (; i < z.Length; i++)
        {
            a[i] = Value(z[i]);
        }
    }

    /// <inheritdoc />
    public override void Backward(
        ReadOnlySpan<T> z, ReadOnlySpan<T> a, ReadOnlySpan<T> outputGradient, Span<T> inputGradient, int rows, int columns)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported)
        {
            ref T rz = ref MemoryMarshal.GetReference(z), rg = ref MemoryMarshal.GetReference(outputGradient);
            ref T rd = ref MemoryMarshal.GetReference(inputGradient);
            for (; i <= z.Length - Vector<T>.Count; i += Vector<T>.Count)
            {
                Vector<T> positive = Vector.GreaterThan(Vector.LoadUnsafe(ref rz, (nuint)i), Vector<T>.Zero);
                Vector.ConditionalSelect(positive, Vector.LoadUnsafe(ref rg, (nuint)i), Vector<T>.Zero).StoreUnsafe(ref rd, (nuint)i); // g where z > 0
            }
        }

        for (; i < z.Length; i++)
        {
            inputGradient[i] = z[i] > T.Zero ? outputGradient[i] : T.Zero;
        }
    }
}
