using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NeuralNet.Kernels;

/// <summary>
/// Copies blocks of op(A) and op(B) into the panel order the micro-kernels read: consecutive,
/// aligned to the tile, zero-padded at the edges, so the kernel's inner loop walks two contiguous streams.
/// </summary>
internal static unsafe partial class GemmPacking
{
    /// <summary>Panels of op(A) written in one pass over the columns of a block (fewer than the L1 cache's ways).</summary>
    internal const int PanelsPerPass = 8;

    /// <summary>Steps of k a transposed op(B) is packed in at a time, every panel taking its piece of each (fewer than the L1 cache's ways).</summary>
    internal const int StepsPerPass = 8;

    /// <summary>
    /// How many columns ahead packing an untransposed op(A) requests the source's lines: far enough ahead for memory's
    /// latency (4 to 16 measured alike; into L2 a little better than into L1), near enough that they are still in L2.
    /// </summary>
    internal const int ColumnsAhead = 8;

    /// <summary>
    /// Packs the block of op(A) with rows <c>[0, mc)</c> and columns <c>[0, kc)</c> (the pointer already
    /// offset to the block's first element) into panels of <paramref name="mr"/> rows: panel after panel,
    /// within a panel for each step p its <paramref name="mr"/> values.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackA<T>(bool transpose, T* a, int lda, int mc, int kc, int mr, T* packed)
        where T : unmanaged
    {
        if (!transpose)
        {
            // op(A)[i, p] = a[i + p·lda]: each column of the block is read once, top to bottom, and its
            // pieces go to the panels. (Panel by panel instead, every step jumps to another column, and for a
            // large A each such jump is a new page: packing took ~1.5× as long.) The panels are written
            // PanelsPerPass at a time: they lie kc · mr values apart (32 KB for a full block of 256 steps), so
            // their lines fall into the same sets of the L1 cache, and more streams than a set has ways (16 double
            // panels of a 256-row block) evict each other's lines at every step.
            int group = PanelsPerPass * mr;
            for (int g0 = 0; g0 < mc; g0 += group)
            {
                int g1 = Math.Min(mc, g0 + group);
                for (int p = 0; p < kc; p++)
                {
                    T* column = a + ((nint)p * lda);
                    if (p + ColumnsAhead < kc && Sse.IsSupported)
                    {
                        // This group's piece of the column ColumnsAhead on, into L2: every column lies on another page, where
                        // the hardware's prefetcher has not yet found a stream, so each column's lines came from L3 or memory
                        // only when read. Requested ahead, packing a 256 × 256 block takes ~35 % less time.
                        RequestIntoL2((byte*)(column + g0 + (ColumnsAhead * (nint)lda)), (g1 - g0) * sizeof(T));
                    }

                    for (int i0 = g0; i0 < g1; i0 += mr)
                    {
                        int rows = Math.Min(mr, mc - i0);
                        T* destination = packed + (i0 * kc) + (p * mr);
                        CopyShort((byte*)destination, (byte*)(column + i0), rows * sizeof(T));
                        for (int r = rows; r < mr; r++)
                        {
                            destination[r] = default;
                        }
                    }
                }
            }

            return;
        }

        for (int i0 = 0; i0 < mc; i0 += mr)
        {
            int rows = Math.Min(mr, mc - i0);
            T* panel = packed + (i0 * kc);
            // op(A)[i, p] = a[p + i·lda]: each stored column of A is a row of the panel (Transpose: by in-register transposes
            // of 8 float or 4 double rows), then the rows past op(A)'s last are zeros.
            Transpose(a + ((nint)i0 * lda), lda, rows, kc, panel, mr);
            for (int p = 0; rows < mr && p < kc; p++)
            {
                for (int r = rows; r < mr; r++)
                {
                    panel[(p * mr) + r] = default;
                }
            }
        }
    }

    /// <summary>
    /// Packs the block of op(B) with rows <c>[0, kc)</c> and columns <c>[0, nc)</c> into panels of
    /// <paramref name="nr"/> columns: within a panel for each step p its <paramref name="nr"/> values.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackB<T>(bool transpose, T* b, int ldb, int kc, int nc, int nr, T* packed)
        where T : unmanaged
    {
        if (transpose)
        {
            // op(B)[p, j] = b[j + p·ldb]: step p of every panel is a contiguous piece of stored column p. The steps are
            // taken StepsPerPass at a time, and within them panel by panel: the few lines of those columns that one panel
            // reads are still in L1 when the next panel reads on from them, so each stored column is read once, left to
            // right. (Panel by panel over all kc steps instead, the pieces lie ldb apart, for a layer's weights all in one
            // set of the L1 cache, and each line was evicted before the next panel read the rest of it: ~1.4× as long.)
            for (int p0 = 0; p0 < kc; p0 += StepsPerPass)
            {
                int p1 = Math.Min(kc, p0 + StepsPerPass);
                if (Sse.IsSupported && p1 < kc)
                {
                    // The next pass's pieces of its stored columns, into L2, while this pass copies: each piece is one run on a
                    // page of its own (a layer's weights read transposed in its forward pass), too short for the hardware's
                    // prefetcher, and in a training step the weights come back from memory (benchmarks/README.md, "Why the
                    // kernels are shaped so").
                    for (int p = p1; p < Math.Min(kc, p1 + StepsPerPass); p++)
                    {
                        RequestIntoL2((byte*)(b + ((nint)p * ldb)), nc * sizeof(T));
                    }
                }

                for (int j0 = 0; j0 < nc; j0 += nr)
                {
                    int columns = Math.Min(nr, nc - j0);
                    T* panel = packed + (j0 * kc);
                    int p = columns == nr ? CopyStepGroups(b + j0, ldb, p0, p1, nr, panel) : p0;
                    for (; p < p1; p++)
                    {
                        T* destination = panel + (p * nr);
                        CopyShort((byte*)destination, (byte*)(b + j0 + ((nint)p * ldb)), columns * sizeof(T));
                        for (int j = columns; j < nr; j++)
                        {
                            destination[j] = default;
                        }
                    }
                }
            }

            return;
        }

        for (int j0 = 0; j0 < nc; j0 += nr)
        {
            int columns = Math.Min(nr, nc - j0);
            T* panel = packed + (j0 * kc);

            // op(B)[p, j] = b[p + j·ldb]: each stored column of B is a column of the panel; the panel
            // is written in order while the columns are read as parallel streams.
            T* source = b + ((nint)j0 * ldb);
            if (Sse.IsSupported && j0 + nr < nc)
            {
                // The next panel's columns, into L2, while this one is transposed: each is a run of only kc values on a page
                // of its own, too short for the hardware's prefetcher to find before it ends, so packing waited on L3 or
                // memory for every line (benchmarks/README.md, "Why the kernels are shaped so").
                int ahead = Math.Min(nr, nc - j0 - nr);
                for (int j = 0; j < ahead; j++)
                {
                    RequestIntoL2((byte*)(source + ((nint)(nr + j) * ldb)), kc * sizeof(T));
                }
            }

            int p0 = 0;
            if (typeof(T) == typeof(float) && Avx.IsSupported && columns == nr && nr == 12)
            {
                p0 = TransposeTwelves((float*)source, ldb, kc, (float*)panel);
            }
            else if (typeof(T) == typeof(float) && Avx.IsSupported && columns == nr && nr == 4)
            {
                p0 = TransposeFours((float*)source, ldb, kc, (float*)panel, nr); // the Vector128 kernel's panel on x86
            }
            else if (typeof(T) == typeof(float) && Avx.IsSupported && columns == nr && nr == 6)
            {
                p0 = TransposeSixes((float*)source, ldb, kc, (float*)panel);
            }
            else if (typeof(T) == typeof(double) && Avx.IsSupported && columns == nr && nr == 12)
            {
                p0 = TransposeTwelves((double*)source, ldb, kc, (double*)panel);
            }
            else if (typeof(T) == typeof(double) && Avx.IsSupported && columns == nr && nr == 6)
            {
                p0 = TransposeSixes((double*)source, ldb, kc, (double*)panel);
            }
            else if (typeof(T) == typeof(double) && Avx.IsSupported && columns == nr && nr % 4 == 0)
            {
                for (int j = 0; j < nr; j += 4)
                {
                    p0 = TransposeFours((double*)(source + ((nint)j * ldb)), ldb, kc, (double*)(panel + j), nr);
                }
            }

            for (int p = p0; p < kc; p++)
            {
                T* destination = panel + (p * nr);
                for (int j = 0; j < columns; j++)
                {
                    destination[j] = source[p + ((nint)j * ldb)];
                }

                for (int j = columns; j < nr; j++)
                {
                    destination[j] = default;
                }
            }
        }
    }

    /// <summary>Requests every cache line of the <paramref name="bytes"/> from <paramref name="start"/> into L2 (x86 only; the caller checks), the last one too when the run does not start on a line.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void RequestIntoL2(byte* start, int bytes)
    {
        for (int q = 0; q < bytes; q += 64)
        {
            Sse.Prefetch1(start + q);
        }

        Sse.Prefetch1(start + bytes - 1);
    }

    /// <summary>Copies a few dozen bytes with vector moves: a call to memmove costs more than the copy at this size.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CopyShort(byte* destination, byte* source, int bytes)
    {
        // The widest moves first: a 12-float row of a B panel is one 32-byte and one 16-byte move, not three of 16.
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i + 64 <= bytes; i += 64)
            {
                Vector512.Store(Vector512.Load(source + i), destination + i);
            }
        }

        if (Vector256.IsHardwareAccelerated)
        {
            for (; i + 32 <= bytes; i += 32)
            {
                Vector256.Store(Vector256.Load(source + i), destination + i);
            }
        }

        for (; i + 16 <= bytes; i += 16)
        {
            Vector128.Store(Vector128.Load(source + i), destination + i);
        }

        if (i + 8 <= bytes)
        {
            // The Vector256 kernel's 6-float rows: 16 bytes, then these 8 (a byte at a time, they cost more than the rest).
            *(long*)(destination + i) = *(long*)(source + i);
            i += 8;
        }

        if (i + 4 <= bytes)
        {
            *(int*)(destination + i) = *(int*)(source + i);
            i += 4;
        }

        for (; i < bytes; i++)
        {
            destination[i] = source[i];
        }
    }
}
