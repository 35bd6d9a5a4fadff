using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NeuralNet.Kernels;

/// <summary>
/// The Vector512 micro-kernel: a tile of C of 2 vectors × 8 columns held in 16 accumulators,
/// <c>C_tile (+)= Â·B̂</c> over <c>kc</c> steps of packed panels (Â: 2 vectors per step, B̂: 8 values per step).
/// </summary>
internal static unsafe class MicroKernel512
{
    /// <summary>Columns of C per tile.</summary>
    public const int Columns = 8;

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
            a += 2 * w;
            b += Columns;
        }

        Store(c, c00, c10, w, add);
        Store(c + ldc, c01, c11, w, add);
        Store(c + (2 * ldc), c02, c12, w, add);
        Store(c + (3 * ldc), c03, c13, w, add);
        Store(c + (4 * ldc), c04, c14, w, add);
        Store(c + (5 * ldc), c05, c15, w, add);
        Store(c + (6 * ldc), c06, c16, w, add);
        Store(c + (7 * ldc), c07, c17, w, add);
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
