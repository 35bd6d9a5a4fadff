using System.Numerics;
using Tp = System.Numerics.Tensors.TensorPrimitives;

namespace NeuralNet.Layers;

/// <summary><c>y = a·x + b</c> with scalars a and b over a span: what the normalisation layers do to each column.</summary>
internal static class Affine
{
    public static void Apply<T>(ReadOnlySpan<T> x, T a, T b, Span<T> y)
        where T : struct, IFloatingPointIeee754<T>
    {
        Tp.Multiply(x, a, y);
        Tp.Add(y, b, y);
    }
}
