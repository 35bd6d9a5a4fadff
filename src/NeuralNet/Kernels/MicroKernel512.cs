using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NeuralNet.Kernels;

/// <summary>
/// The Vector512 micro-kernel: a tile of C of 2 vectors × 12 columns held in 24 accumulators,
/// <c>C_tile (+)= Â·B̂</c> over <c>kc</c> steps of packed panels (Â: 2 vectors per step, B̂: 12 values per step).
/// </summary>
/// <remarks>
/// 12 columns rather than 8: each step's two vectors of Â, streamed from the L2 cache, then feed 24 multiply-adds
/// instead of 16, a third less traffic from L2 per multiply-add; 24 accumulators, the two Â vectors and a broadcast
/// use 27 of the 32 vector registers. The tile's shape groups the sums differently but changes none of them: each
/// element of C is still summed over the steps of k in order.
/// </remarks>
internal static unsafe class MicroKernel512
{
    /// <summary>Columns of C per tile.</summary>
    public const int Columns = 12;

    /// <summary>Multiplies the packed panels into the full tile at <paramref name="c"/> (column stride <paramref name="ldc"/>); adds to it when <paramref name="add"/> is set, else overwrites it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run<T>(int kc, T* a, T* b, T* c, int ldc, bool add)
        where T : unmanaged
    {
        int w = Vector512<T>.Count;
        Vector512<T> c00 = default; Vector512<T> c10 = default; Vector512<T> c01 = default; Vector512<T> c11 = default;
        Vector512<T> c02 = default; Vector512<T> c12 = default; Vector512<T> c03 = default; Vector512<T> c13 = default;
        Vector512<T> c04 = default; Vector512<T> c14 = default; Vector512<T> c05 = default; Vector512<T> c15 = default;
        Vector512<T> c06 = default; Vector512<T> c16 = default; Vector512<T> c07 = default; Vector512<T> c17 = default;
        Vector512<T> c08 = default; Vector512<T> c18 = default; Vector512<T> c09 = default; Vector512<T> c19 = default;
        Vector512<T> c0a = default; Vector512<T> c1a = default; Vector512<T> c0b = default; Vector512<T> c1b = default;
        for (int p = 0; p < kc; p++)
        {
            Vector512<T> a0 = Vector512.Load(a);
            Vector512<T> a1 = Vector512.Load(a + w);
            Vector512<T> bj;
            bj = Vector512.Create(b[0]);
            c00 = VectorFma.Fma(a0, bj, c00);
            c10 = VectorFma.Fma(a1, bj, c10);
            bj = Vector512.Create(b[1]);
            c01 = VectorFma.Fma(a0, bj, c01);
            c11 = VectorFma.Fma(a1, bj, c11);
            bj = Vector512.Create(b[2]);
            c02 = VectorFma.Fma(a0, bj, c02);
            c12 = VectorFma.Fma(a1, bj, c12);
            bj = Vector512.Create(b[3]);
            c03 = VectorFma.Fma(a0, bj, c03);
            c13 = VectorFma.Fma(a1, bj, c13);
            bj = Vector512.Create(b[4]);
            c04 = VectorFma.Fma(a0, bj, c04);
            c14 = VectorFma.Fma(a1, bj, c14);
            bj = Vector512.Create(b[5]);
            c05 = VectorFma.Fma(a0, bj, c05);
            c15 = VectorFma.Fma(a1, bj, c15);
            bj = Vector512.Create(b[6]);
            c06 = VectorFma.Fma(a0, bj, c06);
            c16 = VectorFma.Fma(a1, bj, c16);
            bj = Vector512.Create(b[7]);
            c07 = VectorFma.Fma(a0, bj, c07);
            c17 = VectorFma.Fma(a1, bj, c17);
            bj = Vector512.Create(b[8]);
            c08 = VectorFma.Fma(a0, bj, c08);
            c18 = VectorFma.Fma(a1, bj, c18);
            bj = Vector512.Create(b[9]);
            c09 = VectorFma.Fma(a0, bj, c09);
            c19 = VectorFma.Fma(a1, bj, c19);
            bj = Vector512.Create(b[10]);
            c0a = VectorFma.Fma(a0, bj, c0a);
            c1a = VectorFma.Fma(a1, bj, c1a);
            bj = Vector512.Create(b[11]);
            c0b = VectorFma.Fma(a0, bj, c0b);
            c1b = VectorFma.Fma(a1, bj, c1b);
            a += 2 * w;
            b += Columns;
        }

        Store(c, c00, c10, w, add);
        Store(c + ldc, c01, c11, w, add);
        Store(c + (2 * (nint)ldc), c02, c12, w, add);
        Store(c + (3 * (nint)ldc), c03, c13, w, add);
        Store(c + (4 * (nint)ldc), c04, c14, w, add);
        Store(c + (5 * (nint)ldc), c05, c15, w, add);
        Store(c + (6 * (nint)ldc), c06, c16, w, add);
        Store(c + (7 * (nint)ldc), c07, c17, w, add);
        Store(c + (8 * (nint)ldc), c08, c18, w, add);
        Store(c + (9 * (nint)ldc), c09, c19, w, add);
        Store(c + (10 * (nint)ldc), c0a, c1a, w, add);
        Store(c + (11 * (nint)ldc), c0b, c1b, w, add);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store<T>(T* c, Vector512<T> low, Vector512<T> high, int w, bool add)
        where T : unmanaged
    {
        if (add)
        {
            low += Vector512.Load(c);
            high += Vector512.Load(c + w);
        }

        low.Store(c);
        high.Store(c + w);
    }
}
