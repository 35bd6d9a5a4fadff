using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NeuralNet.Kernels;

/// <summary>
/// The Vector128 micro-kernel: a tile of C of 2 vectors × 4 columns held in 8 accumulators,
/// <c>C_tile (+)= Â·B̂</c> over <c>kc</c> steps of packed panels (Â: 2 vectors per step, B̂: 4 values per step).
/// </summary>
internal static unsafe class MicroKernel128
{
    /// <summary>Columns of C per tile.</summary>
    public const int Columns = 4;

    /// <summary>Multiplies the packed panels into the full tile at <paramref name="c"/> (column stride <paramref name="ldc"/>); adds to it when <paramref name="add"/> is set, else overwrites it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run<T>(int kc, T* a, T* b, T* c, int ldc, bool add)
        where T : unmanaged
    {
        int w = Vector128<T>.Count;
        Vector128<T> c00 = default; Vector128<T> c10 = default; Vector128<T> c01 = default; Vector128<T> c11 = default;
        Vector128<T> c02 = default; Vector128<T> c12 = default; Vector128<T> c03 = default; Vector128<T> c13 = default;
        for (int p = 0; p < kc; p++)
        {
            Vector128<T> a0 = Vector128.Load(a);
            Vector128<T> a1 = Vector128.Load(a + w);
            Vector128<T> bj;
            bj = Vector128.Create(b[0]);
            c00 = VectorFma.Fma(a0, bj, c00);
            c10 = VectorFma.Fma(a1, bj, c10);
            bj = Vector128.Create(b[1]);
            c01 = VectorFma.Fma(a0, bj, c01);
            c11 = VectorFma.Fma(a1, bj, c11);
            bj = Vector128.Create(b[2]);
            c02 = VectorFma.Fma(a0, bj, c02);
            c12 = VectorFma.Fma(a1, bj, c12);
            bj = Vector128.Create(b[3]);
            c03 = VectorFma.Fma(a0, bj, c03);
            c13 = VectorFma.Fma(a1, bj, c13);
            a += 2 * w;
            b += Columns;
        }

        Store(c, c00, c10, w, add);
        Store(c + ldc, c01, c11, w, add);
        Store(c + (2 * ldc), c02, c12, w, add);
        Store(c + (3 * ldc), c03, c13, w, add);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store<T>(T* c, Vector128<T> low, Vector128<T> high, int w, bool add)
        where T : unmanaged
    {
        if (add)
        {
            low += Vector128.Load(c);
            high += Vector128.Load(c + w);
        }

        low.Store(c);
        high.Store(c + w);
    }
}
