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
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(split);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(split, k);
        CheckBounds(transposeA, transposeB, m, n, k, a, lda, b, ldb, c, ldc);
        if (m == 0 || n == 0)
        {
            return true;
        }

        if (typeof(T) == typeof(float))
        {
            return Split(transposeA, transposeB, m, n, k, split, MemoryMarshal.Cast<T, float>(a), lda, MemoryMarshal.Cast<T, float>(b), ldb, MemoryMarshal.Cast<T, float>(c), ldc, accumulate, checkA);
        }

        if (typeof(T) == typeof(double))
        {
            return Split(transposeA, transposeB, m, n, k, split, MemoryMarshal.Cast<T, double>(a), lda, MemoryMarshal.Cast<T, double>(b), ldb, MemoryMarshal.Cast<T, double>(c), ldc, accumulate, checkA);
        }

        ReferenceGemm.Multiply(transposeA, transposeB, m, n, k, a, lda, b, ldb, c, ldc, accumulate);
        return !checkA || AllFinite(transposeA, m, k, a, lda);
    }

    /// <summary>
    /// Whether every value of op(A) (m × <paramref name="k"/>, A column-major with leading dimension <paramref name="lda"/>)
    /// is finite: the one check of a product's op(A), for the reference path and each half of a split-depth product.
    /// </summary>
    internal static bool AllFinite<T>(bool transposeA, int m, int k, ReadOnlySpan<T> a, int lda)
        where T : struct, IFloatingPointIeee754<T>
    {
        (int runs, int length) = transposeA ? (m, k) : (k, m); // op(A) = A: k columns of m values; Aᵀ: m columns of k
        if (lda == length)
        {
            return Elementwise.AllFinite(a[..(runs * length)]); // the runs adjacent: one pass
        }

        for (int r = 0; r < runs; r++)
        {
            if (!Elementwise.AllFinite(a.Slice(r * lda, length)))
            {
                return false;
            }
        }

        return true;
    }

    private static bool Split<T>(
        bool transposeA, bool transposeB, int m, int n, int k, int split,
        ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb, Span<T> c, int ldc, bool accumulate, bool checkA)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int notFinite = 0; // set by either core's check of its half (SecondCore.Wait inside Run orders the helper's write before the read)
        fixed (T* pa = a, pb = b, pc = c)
        {
            SplitDepthGemm<T>.Run(GemmKernels.Best, transposeA, transposeB, m, n, k, split, pa, lda, pb, ldb, pc, ldc, accumulate, checkA ? &notFinite : null);
        }

        return notFinite == 0;
    }
}
