using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NeuralNet.Kernels;

/// <summary>
/// The Vector256 micro-kernel: a tile of C of 2 vectors × 6 columns held in 12 accumulators,
/// <c>C_tile (+)= Â·B̂</c> over <c>kc</c> steps of packed panels (Â: 2 vectors per step, B̂: 6 values per step).
/// </summary>
internal static unsafe partial class MicroKernel256
{
    /// <summary>Columns of C per tile.</summary>
    public const int Columns = 6;

    /// <summary>
    /// Steps of k before the end of a tile at which its lines of C are requested, into L1, as <see cref="MicroKernel512.CPrefetchSteps"/>
    /// does into L2 (a step here is a quarter of its work: 24, 48 and 96 measured alike, 160 slower).
    /// </summary>
    internal const int CPrefetchSteps = 48;

    /// <summary>
    /// Multiplies the packed panels into the full tile at <paramref name="c"/> (column stride <paramref name="ldc"/>); adds to
    /// it when <paramref name="add"/> is set, else overwrites it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Run<T>(int kc, T* a, T* b, T* c, int ldc, bool add)
        where T : unmanaged
        => Multiply<T, PackedPanel>(kc, a, null, 0, b, c, ldc, add, 0, 0);

    /// <summary>
    /// The tile's multiply: step p's two vectors of Â from the packed panel at <paramref name="a"/>, or with
    /// <typeparamref name="TMode"/> <see cref="SourcePanel"/> from <c>s + p·ls</c>, stored to <paramref name="a"/> and each
    /// step requesting into L2 the source's lines <paramref name="ownAhead"/> and <paramref name="nextAhead"/> values on (none
    /// where 0), as <see cref="MicroKernel512"/>'s multiply does.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Multiply<T, TMode>(int kc, T* a, T* s, nint ls, T* b, T* c, int ldc, bool add, nint ownAhead, nint nextAhead)
        where T : unmanaged
        where TMode : struct
    {
        bool packing = typeof(TMode) == typeof(SourcePanel);
        int w = Vector256<T>.Count;
        Vector256<T> c00 = default; Vector256<T> c10 = default; Vector256<T> c01 = default; Vector256<T> c11 = default;
        Vector256<T> c02 = default; Vector256<T> c12 = default; Vector256<T> c03 = default; Vector256<T> c13 = default;
        Vector256<T> c04 = default; Vector256<T> c14 = default; Vector256<T> c05 = default; Vector256<T> c15 = default;
        // As MicroKernel512.Run: two steps of k per iteration (each accumulator still adds the steps in order), in two
        // passes, all but the last CPrefetchSteps and then the rest once C's lines are requested.
        int p = 0;
        int stop = kc - CPrefetchSteps;
        for (int pass = 0; pass < 2; pass++)
        {
            for (; p + 2 <= stop; p += 2)
            {
                if (packing && Sse.IsSupported)
                {
                    if (ownAhead != 0)
                    {
                        SourcePanel.RequestSteps(s + ownAhead, ls, 2 * Vector256<T>.Count);
                    }

                    if (nextAhead != 0)
                    {
                        SourcePanel.RequestSteps(s + nextAhead, ls, 2 * Vector256<T>.Count);
                    }
                }

                Vector256<T> a0 = Vector256.Load(packing ? s : a);
                Vector256<T> a1 = Vector256.Load(packing ? s + w : a + w);
                if (packing)
                {
                    a0.Store(a);
                    a1.Store(a + w);
                }

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

                Vector256<T> e0 = Vector256.Load(packing ? s + ls : a + (2 * w));
                Vector256<T> e1 = Vector256.Load(packing ? s + ls + w : a + (3 * w));
                if (packing)
                {
                    e0.Store(a + (2 * w));
                    e1.Store(a + (3 * w));
                }

                Vector256<T> bk;
                bk = Vector256.Create(b[6]);
                c00 = VectorFma.Fma(e0, bk, c00);
                c10 = VectorFma.Fma(e1, bk, c10);
                bk = Vector256.Create(b[7]);
                c01 = VectorFma.Fma(e0, bk, c01);
                c11 = VectorFma.Fma(e1, bk, c11);
                bk = Vector256.Create(b[8]);
                c02 = VectorFma.Fma(e0, bk, c02);
                c12 = VectorFma.Fma(e1, bk, c12);
                bk = Vector256.Create(b[9]);
                c03 = VectorFma.Fma(e0, bk, c03);
                c13 = VectorFma.Fma(e1, bk, c13);
                bk = Vector256.Create(b[10]);
                c04 = VectorFma.Fma(e0, bk, c04);
                c14 = VectorFma.Fma(e1, bk, c14);
                bk = Vector256.Create(b[11]);
                c05 = VectorFma.Fma(e0, bk, c05);
                c15 = VectorFma.Fma(e1, bk, c15);

                a += 4 * w;
                s += packing ? 2 * ls : 0;
                b += 2 * Columns;
            }

            if (pass == 0 && Sse.IsSupported)
            {
                // The tile's columns of C (2 vectors each: one line of floats or two of doubles, the last byte's line too
                // when a column does not start on a line), which the stores below read back or overwrite.
                for (int j = 0; j < Columns; j++)
                {
                    byte* column = (byte*)(c + ((nint)j * ldc));
                    Sse.Prefetch0(column);
                    Sse.Prefetch0(column + (2 * w * sizeof(T)) - 1);
                }
            }

            stop = kc;
        }

        for (; p < kc; p++) // an odd last step
        {
            Vector256<T> a0 = Vector256.Load(packing ? s : a);
            Vector256<T> a1 = Vector256.Load(packing ? s + w : a + w);
            if (packing)
            {
                a0.Store(a);
                a1.Store(a + w);
            }

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
            s += packing ? ls : 0;
            b += Columns;
        }

        // All loads of C before any store, as in MicroKernel512.Run: for a power-of-two ldc the columns share their offset
        // within a 4 KB page, and a load behind a store to another column at that offset can wait on it.
        if (add)
        {
            c00 += Vector256.Load(c);
            c10 += Vector256.Load(c + w);
            c01 += Vector256.Load(c + ldc);
            c11 += Vector256.Load(c + ldc + w);
            c02 += Vector256.Load(c + (2 * (nint)ldc));
            c12 += Vector256.Load(c + (2 * (nint)ldc) + w);
            c03 += Vector256.Load(c + (3 * (nint)ldc));
            c13 += Vector256.Load(c + (3 * (nint)ldc) + w);
            c04 += Vector256.Load(c + (4 * (nint)ldc));
            c14 += Vector256.Load(c + (4 * (nint)ldc) + w);
            c05 += Vector256.Load(c + (5 * (nint)ldc));
            c15 += Vector256.Load(c + (5 * (nint)ldc) + w);
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
    }
}
