using System.Numerics;
using System.Runtime.InteropServices;
using NeuralNet.Initializers;

namespace NeuralNet.Activations;

/// <summary>The leaky ReLU, <c>f(z) = z</c> for <c>z &gt; 0</c>, else <c>α·z</c>.</summary>
/// <typeparam name="T">The element type.</typeparam>
public sealed class LeakyReLU<T> : ElementwiseActivationFunction<T>
    where T : struct, IFloatingPointIeee754<T>
{
    private readonly T _alpha;

    /// <summary>Creates a leaky ReLU.</summary>
    /// <param name="alpha">The slope for negative inputs, in [0, 1); default 0.01.</param>
    public LeakyReLU(double alpha = 0.01)
    {
        if (!(alpha >= 0 && alpha < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(alpha), alpha, $"alpha must be in [0, 1) (received {alpha}).");
        }

        Alpha = alpha;
        _alpha = Constant(alpha);
    }

    /// <summary>The slope for negative inputs.</summary>
    public double Alpha { get; }

    /// <inheritdoc />
    public override string Name => "leaky_relu";

    /// <inheritdoc />
    public override WeightInitializer DefaultInitializer => WeightInitializer.HeUniform;

    /// <inheritdoc />
    public override T Value(T z) => z > T.Zero ? z : _alpha * z; // z or αz

    /// <inheritdoc />
    public override T Derivative(T z, T a) => z > T.Zero ? T.One : _alpha; // 1 or α

    /// <inheritdoc />
    public override void Forward(ReadOnlySpan<T> z, Span<T> a, int rows, int columns)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported)
        {
            ref T rz = ref MemoryMarshal.GetReference(z), ra = ref MemoryMarshal.GetReference(a);
            var alpha = new Vector<T>(_alpha);
            for (; i <= z.Length - Vector<T>.Count; i += Vector<T>.Count)
            {
                Vector<T> zv = Vector.LoadUnsafe(ref rz, (nuint)i);
                Vector.ConditionalSelect(Vector.GreaterThan(zv, Vector<T>.Zero), zv, alpha * zv).StoreUnsafe(ref ra, (nuint)i); // z or αz
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
            var alpha = new Vector<T>(_alpha);
            for (; i <= z.Length - Vector<T>.Count; i += Vector<T>.Count)
            {
                Vector<T> g = Vector.LoadUnsafe(ref rg, (nuint)i);
                Vector<T> positive = Vector.GreaterThan(Vector.LoadUnsafe(ref rz, (nuint)i), Vector<T>.Zero);
                Vector.ConditionalSelect(positive, g, alpha * g).StoreUnsafe(ref rd, (nuint)i); // g or αg
            }
        }

        for (; i < z.Length; i++)
        {
            inputGradient[i] = outputGradient[i] * Derivative(z[i], a[i]);
        }
    }
}
