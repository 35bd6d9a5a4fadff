using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NeuralNet.Kernels;

/// <summary>
/// The Vector256 micro-kernel: a tile of C of 2 vectors × 6 columns held in 12 accumulators,
/// <c>C_tile (+)= Â·B̂</c> over <c>kc</c> steps of packed panels (Â: 2 vectors per step, B̂: 6 values per step).
/// </summary>
internal static unsafe class MicroKernel256
{
    /// <summary>Columns of C per tile.</summary>
    public const int Columns = 6;

    /// <summary>Multiplies the packed panels into the full tile at <paramref name="c"/> (column stride <paramref name="ldc"/>); adds to it when <paramref name="add"/> is set, else overwrites it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run<T>(int kc, T* a, T* b, T* c, int ldc, bool add)
        where T : unmanaged
    {
        int w = Vector256<T>.Count;
        Vector256<T> c00 = default; Vector256<T> c10 = default; Vector256<T> c01 = default; Vector256<T> c11 = default;
        Vector256<T> c02 = default; Vector256<T> c12 = default; Vector256<T> c03 = default; Vector256<T> c13 = default;
        Vector256<T> c04 = default; Vector256<T> c14 = default; Vector256<T> c05 = default; Vector256<T> c15 = default;
        for (int p = 0; p < kc; p++)
        {
            Vector256<T> a0 = Vector256.Load(a);
            Vector256<T> a1 = Vector256.Load(a + w);
            Vector256<T> bj;
            bj = Vector256.Create(b[0]);
            c00 = VectorFma.Fma(a0, bj, c00);
            c10 = VectorFma.Fma(a1, bj, c10);
            bj = Vector256.Create(b[1]);
            c01 = VectorFma.Fma(a0, bj, c01);
            c11 = VectorFma.Fma(a1, bj, c11);
            bj = Vector256.Create(b[2]);
            c02 = VectorFma.Fma(a0, bj, c02);
            c12 = VectorFma.Fma(a1, bj, c12);
            bj = Vector256.Create(b[3]);
            c03 = VectorFma.Fma(a0, bj, c03);
            c13 = VectorFma.Fma(a1, bj, c13);
            bj = Vector256.Create(b[4]);
            c04 = VectorFma.Fma(a0, bj, c04);
            c14 = VectorFma.Fma(a1, bj, c14);
            bj = Vector256.Create(b[5]);
            c05 = VectorFma.Fma(a0, bj, c05);
            c15 = VectorFma.Fma(a1, bj, c15);
            a += 2 * w;
            b += Columns;
        }

        Store(c, c00, c10, w, add);
        Store(c + ldc, c01, c11, w, add);
        Store(c + (2 * ldc), c02, c12, w, add);
        Store(c + (3 * ldc), c03, c13, w, add);
        Store(c + (4 * ldc), c04, c14, w, add);
        Store(c + (5 * ldc), c05, c15, w, add);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store<T>(T* c, Vector256<T> low, Vector256<T> high, int w, bool add)
        where T : unmanaged
    {
        if (add)
        {
            low += Vector256.Load(c);
            high += Vector256.Load(c + w);
        }

        low.Store(c);
        high.Store(c + w);
    }
}
