using System.Numerics;
using System.Runtime.InteropServices;

namespace NeuralNet.Kernels;

// The product with its depth cut between the cores (a large first layer's forward pass), and the check of op(A)'s
// finiteness that each core makes of its half.
internal static unsafe partial class Gemm
{
    /// <summary>
    /// Multiplies into <paramref name="c"/> with the depth cut at <paramref name="split"/> (0 &lt; split &lt; k), the
    /// two halves summed afterwards (<see cref="SplitDepthGemm{T}"/>): the result depends on the split, not on
    /// how many cores were free. With <paramref name="checkA"/>, each core first checks the part of op(A) it multiplies
    /// (a layer's input, checked where it is, see <see cref="SplitDepthGemm{T}"/>).
    /// </summary>
    /// <returns>False when <paramref name="checkA"/> found a NaN or an infinity in op(A); true otherwise.</returns>
    public static bool MultiplySplitDepth<T>(
        bool transposeA, bool transposeB, int m, int n, int k, int split,
        ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb,
        Span<T> c, int ldc, bool accumulate, bool checkA = false)
        where T : struct, IFloatingPointIeee754<T>
    {
        SplitDepth(transposeA, transposeB, m, n, k, split, a, lda, b, ldb, c, ldc, accumulate, checkA, out T largest, out _);
        return !T.IsNaN(largest);
    }

    /// <summary>
    /// <see cref="MultiplySplitDepth{T}"/> with op(A) checked, telling the training step how large its values are: each core
    /// finds the largest magnitude in the half of op(A) it multiplies as it checks it (<see cref="Elementwise.FiniteMaxMagnitude{T}"/>),
    /// and the sum of the two halves' products reports whether every element of C came out finite: <c>largestA</c> is the
    /// largest magnitude in op(A), or NaN when it holds a NaN or an infinity; <c>productFinite</c> whether every element of
    /// C is finite after the product (false when op(A) is not).
    /// </summary>
    public static void MultiplySplitDepthMeasured<T>(
        bool transposeA, bool transposeB, int m, int n, int k, int split,
        ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb,
        Span<T> c, int ldc, bool accumulate, out T largestA, out bool productFinite)
        where T : struct, IFloatingPointIeee754<T>
    {
        SplitDepth(transposeA, transposeB, m, n, k, split, a, lda, b, ldb, c, ldc, accumulate, check: true, out largestA, out productFinite);
    }

    /// <summary>
    /// The depth-cut product, with op(A) and C measured when <paramref name="check"/> is set (see
    /// <see cref="MultiplySplitDepthMeasured{T}"/>); without it, <paramref name="largestA"/> is 0 and C is not looked at.
    /// </summary>
    private static void SplitDepth<T>(
        bool transposeA, bool transposeB, int m, int n, int k, int split,
        ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb,
        Span<T> c, int ldc, bool accumulate, bool check, out T largestA, out bool productFinite)
        where T : struct, IFloatingPointIeee754<T>
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(split);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(split, k);
        CheckBounds(transposeA, transposeB, m, n, k, a, lda, b, ldb, c, ldc);
        largestA = T.Zero;
        productFinite = true;
        if (m == 0 || n == 0)
        {
            return;
        }

        if (typeof(T) == typeof(float))
        {
            (float largest, productFinite) = Split(transposeA, transposeB, m, n, k, split, MemoryMarshal.Cast<T, float>(a), lda, MemoryMarshal.Cast<T, float>(b), ldb, MemoryMarshal.Cast<T, float>(c), ldc, accumulate, check);
            largestA = T.CreateTruncating(largest);
            return;
        }

        if (typeof(T) == typeof(double))
        {
            (double largest, productFinite) = Split(transposeA, transposeB, m, n, k, split, MemoryMarshal.Cast<T, double>(a), lda, MemoryMarshal.Cast<T, double>(b), ldb, MemoryMarshal.Cast<T, double>(c), ldc, accumulate, check);
            largestA = T.CreateTruncating(largest);
            return;
        }

        ReferenceGemm.Multiply(transposeA, transposeB, m, n, k, a, lda, b, ldb, c, ldc, accumulate);
        if (check)
        {
            largestA = FiniteMaxMagnitude(transposeA, m, k, a, lda);
            productFinite = !T.IsNaN(largestA) && !T.IsNaN(FiniteMaxMagnitude(false, m, n, c, ldc));
        }
    }

    private static (T Largest, bool ProductFinite) Split<T>(
        bool transposeA, bool transposeB, int m, int n, int k, int split,
        ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb, Span<T> c, int ldc, bool accumulate, bool check)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int productNotFinite = 0;
        T* largest = stackalloc T[2]; // the first half's and the second's, NaN where not finite (SecondCore.Wait inside Run orders the helper's write before the read)
        largest[0] = largest[1] = T.Zero;
        fixed (T* pa = a, pb = b, pc = c)
        {
            SplitDepthGemm<T>.Run(GemmKernels.Best, transposeA, transposeB, m, n, k, split, pa, lda, pb, ldb, pc, ldc, accumulate, check ? largest : null, check ? &productNotFinite : null);
        }

        T both = T.Max(largest[0], largest[1]); // NaN from either half
        return (both, !T.IsNaN(both) && productNotFinite == 0);
    }

    /// <summary>
    /// The largest magnitude in op(A) (m × <paramref name="k"/>, A column-major with leading dimension <paramref name="lda"/>),
    /// or NaN when it holds a NaN or an infinity (so also the check of its finiteness).
    /// </summary>
    internal static T FiniteMaxMagnitude<T>(bool transposeA, int m, int k, ReadOnlySpan<T> a, int lda)
        where T : struct, IFloatingPointIeee754<T>
    {
        (int runs, int length) = transposeA ? (m, k) : (k, m);
        if (lda == length)
        {
            return Elementwise.FiniteMaxMagnitude(a[..(runs * length)]);
        }

        T largest = T.Zero;
        for (int r = 0; r < runs; r++)
        {
            largest = T.Max(largest, Elementwise.FiniteMaxMagnitude(a.Slice(r * lda, length))); // T.Max propagates a NaN
        }

        return largest;
    }
}
