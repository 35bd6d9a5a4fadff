using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NeuralNet.Kernels;

// The narrow tiles of the Vector512 kernel: 2 vectors × 4 or 8 columns, for the last panel of C's columns when it holds
// no more than 8 (1024 columns are 85 panels of 12 and one of 4).
internal static unsafe partial class MicroKernel512
{
    /// <summary>
    /// Multiplies the first 4 columns of a packed B̂ panel (<see cref="Columns"/> values per step, the rest unread)
    /// into a tile of 2 vectors × 4 columns at <paramref name="c"/>: the same fused sums, in the same order, as
    /// <see cref="Run{T}(int, T*, T*, T*, int, bool)"/> gives those columns, at a third of its work when the panel holds only 4 columns of C
    /// (the full kernel multiplies its zero padding too).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void RunFour<T>(int kc, T* a, T* b, T* c, int ldc, bool add)
        where T : unmanaged
    {
        int w = Vector512<T>.Count;
        RequestTile(c, ldc, 4);
        Vector512<T> c00 = default; Vector512<T> c10 = default; Vector512<T> c01 = default; Vector512<T> c11 = default;
        Vector512<T> c02 = default; Vector512<T> c12 = default; Vector512<T> c03 = default; Vector512<T> c13 = default;
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
            a += 2 * w;
            b += Columns;
        }

        // All loads of C before any store, as in Run (why: there).
        if (add)
        {
            c00 += Vector512.Load(c);
            c10 += Vector512.Load(c + w);
            c01 += Vector512.Load(c + ldc);
            c11 += Vector512.Load(c + ldc + w);
            c02 += Vector512.Load(c + (2 * (nint)ldc));
            c12 += Vector512.Load(c + (2 * (nint)ldc) + w);
            c03 += Vector512.Load(c + (3 * (nint)ldc));
            c13 += Vector512.Load(c + (3 * (nint)ldc) + w);
        }

        c00.Store(c);
        c10.Store(c + w);
        c01.Store(c + ldc);
        c11.Store(c + ldc + w);
        c02.Store(c + (2 * (nint)ldc));
        c12.Store(c + (2 * (nint)ldc) + w);
        c03.Store(c + (3 * (nint)ldc));
        c13.Store(c + (3 * (nint)ldc) + w);
    }

    /// <summary>
    /// <see cref="RunFour{T}"/> for the first 8 columns of a packed B̂ panel: a tile of 2 vectors × 8 columns
    /// (2048 columns end in a panel of 8), at two thirds of the full kernel's work.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void RunEight<T>(int kc, T* a, T* b, T* c, int ldc, bool add)
        where T : unmanaged
    {
        int w = Vector512<T>.Count;
        RequestTile(c, ldc, 8);
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

        // All loads of C before any store, as in Run (why: there).
        if (add)
        {
            c00 += Vector512.Load(c);
            c10 += Vector512.Load(c + w);
            c01 += Vector512.Load(c + ldc);
            c11 += Vector512.Load(c + ldc + w);
            c02 += Vector512.Load(c + (2 * (nint)ldc));
            c12 += Vector512.Load(c + (2 * (nint)ldc) + w);
            c03 += Vector512.Load(c + (3 * (nint)ldc));
            c13 += Vector512.Load(c + (3 * (nint)ldc) + w);
            c04 += Vector512.Load(c + (4 * (nint)ldc));
            c14 += Vector512.Load(c + (4 * (nint)ldc) + w);
            c05 += Vector512.Load(c + (5 * (nint)ldc));
            c15 += Vector512.Load(c + (5 * (nint)ldc) + w);
            c06 += Vector512.Load(c + (6 * (nint)ldc));
            c16 += Vector512.Load(c + (6 * (nint)ldc) + w);
            c07 += Vector512.Load(c + (7 * (nint)ldc));
            c17 += Vector512.Load(c + (7 * (nint)ldc) + w);
        }

        c00.Store(c);
        c10.Store(c + w);
        c01.Store(c + ldc);
        c11.Store(c + ldc + w);
        c02.Store(c + (2 * (nint)ldc));
        c12.Store(c + (2 * (nint)ldc) + w);
        c03.Store(c + (3 * (nint)ldc));
        c13.Store(c + (3 * (nint)ldc) + w);
        c04.Store(c + (4 * (nint)ldc));
        c14.Store(c + (4 * (nint)ldc) + w);
        c05.Store(c + (5 * (nint)ldc));
        c15.Store(c + (5 * (nint)ldc) + w);
        c06.Store(c + (6 * (nint)ldc));
        c16.Store(c + (6 * (nint)ldc) + w);
        c07.Store(c + (7 * (nint)ldc));
        c17.Store(c + (7 * (nint)ldc) + w);
    }

    /// <summary>
    /// Requests the lines of a tile of C (<paramref name="columns"/> columns of 2 vectors): into L1 for a narrow tile at its
    /// start (a narrow tile is one in a panel's worth of tiles: no second pass for it), into L2 (<paramref name="intoL2"/>)
    /// for the full tile <see cref="CPrefetchSteps"/> steps before its end.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void RequestTile<T>(T* c, int ldc, int columns, bool intoL2 = false)
        where T : unmanaged
    {
        if (Sse.IsSupported)
        {
            for (int j = 0; j < columns; j++)
            {
                byte* column = (byte*)(c + ((nint)j * ldc));
                if (intoL2)
                {
                    Sse.Prefetch1(column);
                    Sse.Prefetch1(column + 64);
                }
                else
                {
                    Sse.Prefetch0(column);
                    Sse.Prefetch0(column + 64);
                }
            }
        }
    }
}
