using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

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
internal static unsafe partial class MicroKernel512
{
    /// <summary>Columns of C per tile.</summary>
    public const int Columns = 12;

    /// <summary>
    /// Steps of k before the end of a tile at which its lines of C are requested, into L2: 160 of a block's 256 steps are
    /// ~2,000 cycles of multiply-adds on a core that runs two 512-bit multiply-adds a cycle (~4,000 where it runs one), long
    /// enough for lines that come from memory rather than L3 (a C of 16 MB and more), and L2 keeps them however much of
    /// the Â panel streams through L1 meanwhile. (48 steps, into L1, had been too short for such lines on a core of two
    /// such pipes: benchmarks/README.md, "Why the kernels are shaped so".)
    /// </summary>
    internal const int CPrefetchSteps = 160;

    /// <summary>Multiplies the packed panels into the full tile at <paramref name="c"/> (column stride <paramref name="ldc"/>); adds to it when <paramref name="add"/> is set, else overwrites it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Run<T>(int kc, T* a, T* b, T* c, int ldc, bool add)
        where T : unmanaged
        => Run(kc, a, b, c, ldc, c, ldc, add);

    /// <summary>
    /// Multiplies the packed panels into the full tile at <paramref name="c"/> (column stride <paramref name="ldc"/>): the tile
    /// at <paramref name="source"/> (column stride <paramref name="sourceStride"/>) plus the product when <paramref name="add"/>
    /// is set, else the product. The source may be the tile itself; <see cref="GemmDriver"/> also moves C between a packed copy
    /// and its place with it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Run<T>(int kc, T* a, T* b, T* source, int sourceStride, T* c, int ldc, bool add)
        where T : unmanaged
        => Multiply<T, PackedPanel>(kc, a, null, 0, b, source, sourceStride, c, ldc, add, 0, 0);

    /// <summary>
    /// The tile's multiply: step p's two vectors of Â from the packed panel at <paramref name="a"/>, or with
    /// <typeparamref name="TMode"/> <see cref="SourcePanel"/> from <c>s + p·ls</c>, stored to <paramref name="a"/> and each
    /// step requesting into L2 the source's lines <paramref name="ownAhead"/> and <paramref name="nextAhead"/> values on (none
    /// where 0). The mode is a type, so each form is compiled on its own and the packed one reads Â at constant offsets.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Multiply<T, TMode>(
        int kc, T* a, T* s, nint ls, T* b, T* source, int sourceStride, T* c, int ldc, bool add, nint ownAhead, nint nextAhead)
        where T : unmanaged
        where TMode : struct
    {
        int w = Vector512<T>.Count;
        bool packing = typeof(TMode) == typeof(SourcePanel);
        Vector512<T> c00 = default; Vector512<T> c10 = default; Vector512<T> c01 = default; Vector512<T> c11 = default;
        Vector512<T> c02 = default; Vector512<T> c12 = default; Vector512<T> c03 = default; Vector512<T> c13 = default;
        Vector512<T> c04 = default; Vector512<T> c14 = default; Vector512<T> c05 = default; Vector512<T> c15 = default;
        Vector512<T> c06 = default; Vector512<T> c16 = default; Vector512<T> c07 = default; Vector512<T> c17 = default;
        Vector512<T> c08 = default; Vector512<T> c18 = default; Vector512<T> c09 = default; Vector512<T> c19 = default;
        Vector512<T> c0a = default; Vector512<T> c1a = default; Vector512<T> c0b = default; Vector512<T> c1b = default;
        // Two steps of k per iteration: the loop's own counter, compare and branch then take half as many slots beside
        // the 48 multiply-adds. Each accumulator still adds the steps in order, so every sum is as before.
        // The steps run in two passes: all but the last CPrefetchSteps, then (once C's lines are requested) the rest.
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
                        SourcePanel.RequestSteps(s + ownAhead, ls, 2 * Vector512<T>.Count);
                    }

                    if (nextAhead != 0)
                    {
                        SourcePanel.RequestSteps(s + nextAhead, ls, 2 * Vector512<T>.Count);
                    }
                }
                else if (typeof(T) == typeof(float) && Sse.IsSupported)
                {
                    // The lines of Â eight steps ahead (4 of them per two steps of 32 floats): Â streams from L2, and this
                    // keeps its lines arriving before the loads need them. (Measured to help float; for double it was level.)
                    Sse.Prefetch0((byte*)a + 1024);
                    Sse.Prefetch0((byte*)a + 1088);
                    Sse.Prefetch0((byte*)a + 1152);
                    Sse.Prefetch0((byte*)a + 1216);
                }

                if (typeof(T) == typeof(double) && Sse.IsSupported)
                {
                    // The lines of B̂ eight steps ahead (3 per two steps of 12 doubles): a double B̂ panel (12 × kc values)
                    // and the Â panel streaming past it are more than an L1 data cache of 48 KB holds, so B̂'s lines are
                    // often evicted between tiles and come back from L2. (Measured to help double.)
                    Sse.Prefetch0((byte*)b + 768);
                    Sse.Prefetch0((byte*)b + 832);
                    Sse.Prefetch0((byte*)b + 896);
                }

                Vector512<T> a0 = Vector512.Load(packing ? s : a);
                Vector512<T> a1 = Vector512.Load(packing ? s + w : a + w);
                if (packing)
                {
                    a0.Store(a);
                    a1.Store(a + w);
                }

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

                Vector512<T> e0 = Vector512.Load(packing ? s + ls : a + (2 * w));
                Vector512<T> e1 = Vector512.Load(packing ? s + ls + w : a + (3 * w));
                if (packing)
                {
                    e0.Store(a + (2 * w));
                    e1.Store(a + (3 * w));
                }

                Vector512<T> bk;
                bk = Vector512.Create(b[12]);
                c00 = VectorFma.Fma(e0, bk, c00);
                c10 = VectorFma.Fma(e1, bk, c10);
                bk = Vector512.Create(b[13]);
                c01 = VectorFma.Fma(e0, bk, c01);
                c11 = VectorFma.Fma(e1, bk, c11);
                bk = Vector512.Create(b[14]);
                c02 = VectorFma.Fma(e0, bk, c02);
                c12 = VectorFma.Fma(e1, bk, c12);
                bk = Vector512.Create(b[15]);
                c03 = VectorFma.Fma(e0, bk, c03);
                c13 = VectorFma.Fma(e1, bk, c13);
                bk = Vector512.Create(b[16]);
                c04 = VectorFma.Fma(e0, bk, c04);
                c14 = VectorFma.Fma(e1, bk, c14);
                bk = Vector512.Create(b[17]);
                c05 = VectorFma.Fma(e0, bk, c05);
                c15 = VectorFma.Fma(e1, bk, c15);
                bk = Vector512.Create(b[18]);
                c06 = VectorFma.Fma(e0, bk, c06);
                c16 = VectorFma.Fma(e1, bk, c16);
                bk = Vector512.Create(b[19]);
                c07 = VectorFma.Fma(e0, bk, c07);
                c17 = VectorFma.Fma(e1, bk, c17);
                bk = Vector512.Create(b[20]);
                c08 = VectorFma.Fma(e0, bk, c08);
                c18 = VectorFma.Fma(e1, bk, c18);
                bk = Vector512.Create(b[21]);
                c09 = VectorFma.Fma(e0, bk, c09);
                c19 = VectorFma.Fma(e1, bk, c19);
                bk = Vector512.Create(b[22]);
                c0a = VectorFma.Fma(e0, bk, c0a);
                c1a = VectorFma.Fma(e1, bk, c1a);
                bk = Vector512.Create(b[23]);
                c0b = VectorFma.Fma(e0, bk, c0b);
                c1b = VectorFma.Fma(e1, bk, c1b);

                a += 4 * w;
                s += packing ? 2 * ls : 0;
                b += 2 * Columns;
            }

            if (pass == 0 && Sse.IsSupported)
            {
                // The tile of C, which the stores below read back (add) or overwrite: for a large C its 24 lines are in L3 or
                // memory (the tile was last touched a whole depth block ago), and requested only when the loop ends they stalled
                // every tile for that latency. Requested now, into L2, they arrive while the last steps run.
                RequestTile(c, ldc, Columns, intoL2: true);
                if (add && source != c)
                {
                    RequestTile(source, sourceStride, Columns, intoL2: true);
                }
            }

            stop = kc;
        }

        for (; p < kc; p++) // an odd last step
        {
            Vector512<T> a0 = Vector512.Load(packing ? s : a);
            Vector512<T> a1 = Vector512.Load(packing ? s + w : a + w);
            if (packing)
            {
                a0.Store(a);
                a1.Store(a + w);
            }

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
            s += packing ? ls : 0;
            b += Columns;
        }

        // All loads of C before any store: C's columns lie ldc apart, for a power-of-two ldc (1024 or 2048 rows) at the
        // same offset within a 4 KB page, where a load behind a store to another column at that offset can wait on it
        // (4K aliasing). Each element is still C + its sum, as before.
        if (add)
        {
            c00 += Vector512.Load(source);
            c10 += Vector512.Load(source + w);
            c01 += Vector512.Load(source + sourceStride);
            c11 += Vector512.Load(source + sourceStride + w);
            c02 += Vector512.Load(source + (2 * (nint)sourceStride));
            c12 += Vector512.Load(source + (2 * (nint)sourceStride) + w);
            c03 += Vector512.Load(source + (3 * (nint)sourceStride));
            c13 += Vector512.Load(source + (3 * (nint)sourceStride) + w);
            c04 += Vector512.Load(source + (4 * (nint)sourceStride));
            c14 += Vector512.Load(source + (4 * (nint)sourceStride) + w);
            c05 += Vector512.Load(source + (5 * (nint)sourceStride));
            c15 += Vector512.Load(source + (5 * (nint)sourceStride) + w);
            c06 += Vector512.Load(source + (6 * (nint)sourceStride));
            c16 += Vector512.Load(source + (6 * (nint)sourceStride) + w);
            c07 += Vector512.Load(source + (7 * (nint)sourceStride));
            c17 += Vector512.Load(source + (7 * (nint)sourceStride) + w);
            c08 += Vector512.Load(source + (8 * (nint)sourceStride));
            c18 += Vector512.Load(source + (8 * (nint)sourceStride) + w);
            c09 += Vector512.Load(source + (9 * (nint)sourceStride));
            c19 += Vector512.Load(source + (9 * (nint)sourceStride) + w);
            c0a += Vector512.Load(source + (10 * (nint)sourceStride));
            c1a += Vector512.Load(source + (10 * (nint)sourceStride) + w);
            c0b += Vector512.Load(source + (11 * (nint)sourceStride));
            c1b += Vector512.Load(source + (11 * (nint)sourceStride) + w);
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
        c08.Store(c + (8 * (nint)ldc));
        c18.Store(c + (8 * (nint)ldc) + w);
        c09.Store(c + (9 * (nint)ldc));
        c19.Store(c + (9 * (nint)ldc) + w);
        c0a.Store(c + (10 * (nint)ldc));
        c1a.Store(c + (10 * (nint)ldc) + w);
        c0b.Store(c + (11 * (nint)ldc));
        c1b.Store(c + (11 * (nint)ldc) + w);
    }
}
