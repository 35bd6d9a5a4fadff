using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NeuralNet.Kernels;

/// <summary>
/// Products too small or too thin for packing to pay: the tiny ones of per-sample training (a few
/// dozen multiply-adds, where any set-up costs more than the arithmetic) and those with a few rows of C
/// (one-sample prediction), which stream op(B) once instead of padding a tile of 16-32 rows.
/// </summary>
internal static unsafe class SmallGemm
{
    /// <summary>At most this many multiply-adds (m·n·k) go to the plain loops of <see cref="Tiny"/>.</summary>
    public const long TinyWork = 512;

    /// <summary>At most this many rows of C go to <see cref="FewRows"/>.</summary>
    public const int FewRowsLimit = 4;

    /// <summary>C (+)= op(A)·op(B) by plain loops with strides: nothing to set up.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Tiny<T>(
        bool transposeA, bool transposeB, int m, int n, int k,
        T* a, int lda, T* b, int ldb, T* c, int ldc, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        // op(A)[i, p] = a[i·ai + p·ap]; op(B)[p, j] = b[p·bp + j·bj]
        nint ai = transposeA ? lda : 1, ap = transposeA ? 1 : lda;
        nint bp = transposeB ? ldb : 1, bj = transposeB ? 1 : ldb;
        T* bColumn = b, cColumn = c;
        if (k == 1)
        {
            // An outer product (one sample's weight gradient): the same sum of one term, without a loop over p per element.
            for (int j = 0; j < n; j++, bColumn += bj, cColumn += ldc)
            {
                T y = *bColumn;
                T* x = a;
                for (int i = 0; i < m; i++, x += ai)
                {
                    T sum = accumulate ? cColumn[i] : T.Zero;
                    sum += *x * y;
                    cColumn[i] = sum;
                }
            }

            return;
        }

        for (int j = 0; j < n; j++, bColumn += bj, cColumn += ldc)
        {
            T* aRow = a;
            for (int i = 0; i < m; i++, aRow += ai)
            {
                T sum = accumulate ? cColumn[i] : T.Zero;
                T* x = aRow, y = bColumn;
                for (int p = 0; p < k; p++, x += ap, y += bp)
                {
                    sum += *x * *y; // Σp op(A)[i, p]·op(B)[p, j], p in order
                }

                cColumn[i] = sum;
            }
        }
    }

    /// <summary>C (+)= op(A)·op(B) one row of C at a time, for C with a few rows.</summary>
    public static void FewRows<T>(
        bool transposeA, bool transposeB, int m, int n, int k,
        T* a, int lda, T* b, int ldb, T* c, int ldc, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        nint ai = transposeA ? lda : 1, ap = transposeA ? 1 : lda;
        for (int i = 0; i < m; i++)
        {
            T* aRow = a + (i * ai);
            if (transposeB)
            {
                RowTimesRows(aRow, ap, n, k, b, ldb, c + i, ldc, accumulate);
            }
            else
            {
                // op(B)[:, j] = b[j·ldb ...] is contiguous: each C[i, j] is a dot product with op(A)'s row i.
                ReadOnlySpan<T> row = ap == 1 ? new ReadOnlySpan<T>(aRow, k) : Gather(aRow, ap, k);
                for (int j = 0; j < n; j++)
                {
                    T dot = TensorPrimitives.Dot(row, new ReadOnlySpan<T>(b + ((nint)j * ldb), k));
                    T* cij = c + i + ((nint)j * ldc);
                    *cij = accumulate ? *cij + dot : dot;
                }
            }
        }
    }

    /// <summary>
    /// c[j·ldc] (+)= Σp x[p·xs]·b[j + p·ldb] for j &lt; n: the row x times the matrix whose rows are the
    /// stored columns of B. Eight vectors of C at a time stay in registers while p runs (eight independent
    /// sums keep both FMA units busy), then single vectors, then the last few columns one by one.
    /// </summary>
    private static void RowTimesRows<T>(T* x, nint xs, int n, int k, T* b, int ldb, T* c, int ldc, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int j = Vector512.IsHardwareAccelerated ? RowTimesRows512(x, xs, n, k, b, ldb, c, ldc, accumulate) : 0;
        int w = Vector<T>.Count;
        for (; j + (8 * w) <= n; j += 8 * w)
        {
            Vector<T> s0 = Vector<T>.Zero, s1 = Vector<T>.Zero, s2 = Vector<T>.Zero, s3 = Vector<T>.Zero;
            Vector<T> s4 = Vector<T>.Zero, s5 = Vector<T>.Zero, s6 = Vector<T>.Zero, s7 = Vector<T>.Zero;
            T* bp = b + j;
            for (int p = 0; p < k; p++, bp += ldb)
            {
                var xp = new Vector<T>(x[p * xs]);
                s0 += xp * Vector.Load(bp);
                s1 += xp * Vector.Load(bp + w);
                s2 += xp * Vector.Load(bp + (2 * w));
                s3 += xp * Vector.Load(bp + (3 * w));
                s4 += xp * Vector.Load(bp + (4 * w));
                s5 += xp * Vector.Load(bp + (5 * w));
                s6 += xp * Vector.Load(bp + (6 * w));
                s7 += xp * Vector.Load(bp + (7 * w));
            }

            Put(c, ldc, j, s0, accumulate);
            Put(c, ldc, j + w, s1, accumulate);
            Put(c, ldc, j + (2 * w), s2, accumulate);
            Put(c, ldc, j + (3 * w), s3, accumulate);
            Put(c, ldc, j + (4 * w), s4, accumulate);
            Put(c, ldc, j + (5 * w), s5, accumulate);
            Put(c, ldc, j + (6 * w), s6, accumulate);
            Put(c, ldc, j + (7 * w), s7, accumulate);
        }

        for (; j + w <= n; j += w)
        {
            Vector<T> s0 = Vector<T>.Zero;
            T* bp = b + j;
            for (int p = 0; p < k; p++, bp += ldb)
            {
                s0 += new Vector<T>(x[p * xs]) * Vector.Load(bp);
            }

            Put(c, ldc, j, s0, accumulate);
        }

        for (; j < n; j++)
        {
            // Four partial sums, so the additions do not wait on each other.
            T s0 = T.Zero, s1 = T.Zero, s2 = T.Zero, s3 = T.Zero;
            T* bj = b + j;
            int p = 0;
            for (; p + 4 <= k; p += 4)
            {
                s0 += x[p * xs] * bj[(nint)p * ldb];
                s1 += x[(p + 1) * xs] * bj[(nint)(p + 1) * ldb];
                s2 += x[(p + 2) * xs] * bj[(nint)(p + 2) * ldb];
                s3 += x[(p + 3) * xs] * bj[(nint)(p + 3) * ldb];
            }

            for (; p < k; p++)
            {
                s0 += x[p * xs] * bj[(nint)p * ldb];
            }

            T sum = (s0 + s1) + (s2 + s3);
            T* cj = c + ((nint)j * ldc);
            *cj = accumulate ? *cj + sum : sum;
        }
    }

    /// <summary>The blocks of 8 × 16 floats (8 × 8 doubles) of <see cref="RowTimesRows"/> in Vector512 registers; returns the columns done.</summary>
    private static int RowTimesRows512<T>(T* x, nint xs, int n, int k, T* b, int ldb, T* c, int ldc, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int w = Vector512<T>.Count;
        int j = 0;
        for (; j + (8 * w) <= n; j += 8 * w)
        {
            Vector512<T> s0 = default, s1 = default, s2 = default, s3 = default, s4 = default, s5 = default, s6 = default, s7 = default;
            T* bp = b + j;
            for (int p = 0; p < k; p++, bp += ldb)
            {
                Vector512<T> xp = Vector512.Create(x[p * xs]);
                s0 = VectorFma.Fma(xp, Vector512.Load(bp), s0);
                s1 = VectorFma.Fma(xp, Vector512.Load(bp + w), s1);
                s2 = VectorFma.Fma(xp, Vector512.Load(bp + (2 * w)), s2);
                s3 = VectorFma.Fma(xp, Vector512.Load(bp + (3 * w)), s3);
                s4 = VectorFma.Fma(xp, Vector512.Load(bp + (4 * w)), s4);
                s5 = VectorFma.Fma(xp, Vector512.Load(bp + (5 * w)), s5);
                s6 = VectorFma.Fma(xp, Vector512.Load(bp + (6 * w)), s6);
                s7 = VectorFma.Fma(xp, Vector512.Load(bp + (7 * w)), s7);
            }

            Put512(c, ldc, j, s0, accumulate);
            Put512(c, ldc, j + w, s1, accumulate);
            Put512(c, ldc, j + (2 * w), s2, accumulate);
            Put512(c, ldc, j + (3 * w), s3, accumulate);
            Put512(c, ldc, j + (4 * w), s4, accumulate);
            Put512(c, ldc, j + (5 * w), s5, accumulate);
            Put512(c, ldc, j + (6 * w), s6, accumulate);
            Put512(c, ldc, j + (7 * w), s7, accumulate);
        }

        return j;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Put512<T>(T* c, int ldc, int j, Vector512<T> values, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (ldc == 1)
        {
            (accumulate ? Vector512.Load(c + j) + values : values).Store(c + j);
            return;
        }

        for (int e = 0; e < Vector512<T>.Count; e++)
        {
            T* cj = c + ((nint)(j + e) * ldc);
            *cj = accumulate ? *cj + values[e] : values[e];
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Put<T>(T* c, int ldc, int j, Vector<T> values, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (ldc == 1)
        {
            (accumulate ? Vector.Load(c + j) + values : values).Store(c + j);
            return;
        }

        for (int e = 0; e < Vector<T>.Count; e++)
        {
            T* cj = c + ((nint)(j + e) * ldc);
            *cj = accumulate ? *cj + values[e] : values[e];
        }
    }

    private static ReadOnlySpan<T> Gather<T>(T* x, nint stride, int k)
        where T : unmanaged
    {
        T* row = PackingBuffers<T>.A(k);
        for (int p = 0; p < k; p++)
        {
            row[p] = x[p * stride];
        }

        return new ReadOnlySpan<T>(row, k);
    }
}
