using System.Runtime.CompilerServices;

namespace NeuralNet.Kernels;

// The bounds of a product's three operands, checked once per product before any kernel touches memory.
internal static partial class Gemm
{
    /// <summary>
    /// Checks that op(A) (m×k), op(B) (k×n) and C (m×n), stored column-major with the given leading dimensions,
    /// lie inside their spans, in 64-bit arithmetic so no product of sizes can wrap. A failure is a bug in the
    /// library (the public boundary checks shapes first), reported instead of reading or writing out of bounds.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void CheckBounds<T>(
        bool transposeA, bool transposeB, int m, int n, int k,
        ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb, ReadOnlySpan<T> c, int ldc)
    {
        // The common case in a few comparisons inlined into the caller (per-sample training multiplies millions of
        // tiny products a second); any failure, or an empty product, goes to the detailed check below. Column j of a
        // stored rows × columns matrix lies at [j·leading, j·leading + rows): it fits when leading ≥ rows and
        // (columns − 1)·leading + rows ≤ length.
        int aRows = transposeA ? k : m, aColumns = transposeA ? m : k;
        int bRows = transposeB ? n : k, bColumns = transposeB ? k : n;
        if ((m | n | k) <= 0
            || ldc < m || lda < aRows || ldb < bRows
            || (((long)n - 1) * ldc) + m > c.Length
            || (((long)aColumns - 1) * lda) + aRows > a.Length
            || (((long)bColumns - 1) * ldb) + bRows > b.Length)
        {
            CheckBoundsSlowly(transposeA, transposeB, m, n, k, a.Length, lda, b.Length, ldb, c.Length, ldc);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void CheckBoundsSlowly(
        bool transposeA, bool transposeB, int m, int n, int k, int aLength, int lda, int bLength, int ldb, int cLength, int ldc)
    {
        if (m < 0 || n < 0 || k < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(m), $"GEMM sizes must be ≥ 0 (received m = {m}, n = {n}, k = {k}).");
        }

        if (m == 0 || n == 0)
        {
            return;
        }

        Fits("c", m, n, ldc, cLength);
        if (k > 0)
        {
            Fits("a", transposeA ? k : m, transposeA ? m : k, lda, aLength);
            Fits("b", transposeB ? n : k, transposeB ? k : n, ldb, bLength);
        }

        static void Fits(string name, int rows, int columns, int leading, int length)
        {
            // The stored matrix is rows × columns, column j at [j·leading, j·leading + rows).
            if (leading < rows || (((long)columns - 1) * leading) + rows > length)
            {
                throw new ArgumentException($"GEMM operand {name} of {rows}×{columns} with leading dimension {leading} does not fit in its {length} values.", name);
            }
        }
    }
}
