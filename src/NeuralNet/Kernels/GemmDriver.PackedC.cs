using System.Numerics;
using System.Runtime.CompilerServices;

namespace NeuralNet.Kernels;

/// <summary>Where a depth block's pass over C reads C from and writes it to, when C is kept in a packed copy between the passes.</summary>
internal enum CStage
{
    /// <summary>The first depth block: from C (or nothing, when the product overwrites C) into the packed copy.</summary>
    First,

    /// <summary>A depth block between the first and the last: the packed copy into itself.</summary>
    Middle,

    /// <summary>The last depth block: from the packed copy into C.</summary>
    Last,
}

// C in a packed copy between depth blocks.
internal static unsafe partial class GemmDriver
{
    /// <summary>
    /// The largest packed copy of C (elements; the rows of C rounded up to whole tiles times a column block's columns):
    /// 2048 rows of a full column block. A larger C is multiplied in place, as with a single core's other kernels.
    /// </summary>
    internal static readonly int PackedCElements = 2048 * RoundUp(BlockColumns, MicroKernel512.Columns);

    /// <summary>
    /// The fewest multiply-adds for which <see cref="Run{T}"/> keeps C in a packed copy: those of a product that two cores
    /// share in blocks (<see cref="WorkSplit.SharedBlocksWork"/>), whose C is too large for L2. Smaller products' strips
    /// multiply in place, so the second core never needs a copy.
    /// </summary>
    internal const long PackedCWork = WorkSplit.SharedBlocksWork;

    /// <summary>
    /// Whether <see cref="Run{T}"/> keeps C in a packed copy between depth blocks: with the Vector512 kernel, for at least
    /// three depth blocks (with two, C would still be read and written in place once each) and <see cref="PackedCWork"/>
    /// multiply-adds, when the copy fits <see cref="PackedCElements"/>. In place, every depth block reads each tile of C back
    /// from its 12 columns, each on its own page when a column of C is 4 KB or more: the lookups of those pages cost more
    /// than the loads. A tile of the packed copy is one run of memory. The copy changes no sum.
    /// </summary>
    internal static bool UsesPackedC<T>(GemmKernel kernel, int m, int n, int k)
        where T : unmanaged
    {
        int mr = GemmKernels.RowsPerTile<T>(kernel), nr = GemmKernels.ColumnsPerTile(kernel);
        int ncMax = Math.Min(Balanced(n, RoundUp(BlockColumns, nr), nr), RoundUp(n, nr));
        return kernel == GemmKernel.Vector512 && k > 2 * Balanced(k, BlockDepth, 1) && (long)m * n * k >= PackedCWork
            && (long)RoundUp(m, mr) * ncMax <= PackedCElements;
    }

    /// <summary>
    /// Makes this thread's buffers for <see cref="Run{T}"/> on this product now (the packing buffers, and the packed copy of
    /// C if it would use one): a product two cores share falls back to <see cref="Run{T}"/> on the calling thread when the
    /// second core is busy, and then allocates nothing, whether or not this thread ever ran the driver before.
    /// </summary>
    internal static void PrepareFor<T>(GemmKernel kernel, int m, int n, int k)
        where T : unmanaged
    {
        PackingBuffers<T>.A(0);
        PackingBuffers<T>.B(0);
        PackingBuffers<T>.Tile(0);
        if (UsesPackedC<T>(kernel, m, n, k))
        {
            PackingBuffers<T>.C(0);
        }
    }

    /// <summary>
    /// <see cref="MultiplyBlock{T}"/> for the Vector512 kernel with C kept in a packed copy between depth blocks: per
    /// <paramref name="stage"/>, the first block reads C (when <paramref name="accumulate"/>) and writes the copy, the middle
    /// ones add into the copy, the last reads the copy and writes C. Each element of C is the same
    /// <c>((C + s₁) + s₂) + …</c> as in place: the same bits.
    /// </summary>
    /// <param name="stage">Which depth block this is.</param>
    /// <param name="mc">Rows of the block of C.</param>
    /// <param name="nc">Columns of the block of C.</param>
    /// <param name="kc">Steps of the depth block.</param>
    /// <param name="mr">Rows per tile.</param>
    /// <param name="nr">Columns per tile.</param>
    /// <param name="packedA">Â (mc × kc).</param>
    /// <param name="packedB">B̂ (kc × nc).</param>
    /// <param name="c">The block of C (column stride <paramref name="ldc"/>).</param>
    /// <param name="ldc">C's column stride.</param>
    /// <param name="packedC">The block's first tile in the copy: tiles of mr × nr (column stride mr), down the rows.</param>
    /// <param name="panelStride">Elements from one panel of nr columns of the copy to the next.</param>
    /// <param name="accumulate">Whether the product adds to C (else it overwrites it).</param>
    /// <param name="tile">Scratch for a tile.</param>
    /// <param name="aSource">Null when Â is packed; else op(A)'s block as stored, which the first panel's tiles pack into Â on the way (<see cref="PacksAInKernel"/>).</param>
    /// <param name="lda">op(A)'s column stride, with <paramref name="aSource"/>.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void MultiplyStage<T>(
        CStage stage, int mc, int nc, int kc, int mr, int nr,
        T* packedA, T* packedB, T* c, int ldc, T* packedC, int panelStride, bool accumulate, T* tile, T* aSource = null, int lda = 0)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        const GemmKernel kernel = GemmKernel.Vector512;
        int share = NextPanelShare<T>(GemmKernel.Vector512, mc, kc, mr, nr); // the packed copy of C is this kernel's
        for (int jr = 0; jr < nc; jr += nr)
        {
            int columns = Math.Min(nr, nc - jr);
            T* bPanel = packedB + (jr * kc);
            T* cPanel = packedC + ((nint)(jr / nr) * panelStride);
            int width = TileWidth(kernel, columns, nr);
            for (int ir = 0; ir < mc; ir += mr)
            {
                RequestNextPanel(bPanel, kc * nr, ir / mr, share, last: jr + nr >= nc);
                int rows = Math.Min(mr, mc - ir);
                T* aPanel = packedA + (ir * kc);
                T* copy = cPanel + (ir * nr);
                T* cTile = c + ir + ((nint)jr * ldc);
                bool full = rows == mr && columns == width && width == nr;
                if (aSource != null && jr == 0)
                {
                    // The block's first panel packs Â on the way (GemmDriver.PacksAInKernel: its tiles are full).
                    T* from = aSource + ir;
                    if (stage == CStage.Middle || (stage == CStage.First && !accumulate))
                    {
                        MicroKernel512.RunPackingA(kc, from, lda, aPanel, bPanel, copy, mr, copy, mr, add: stage == CStage.Middle, firstTile: ir == 0, lastTile: ir + mr >= mc);
                    }
                    else if (stage == CStage.First)
                    {
                        MicroKernel512.RunPackingA(kc, from, lda, aPanel, bPanel, cTile, ldc, copy, mr, add: true, firstTile: ir == 0, lastTile: ir + mr >= mc);
                    }
                    else
                    {
                        MicroKernel512.RunPackingA(kc, from, lda, aPanel, bPanel, copy, mr, cTile, ldc, add: true, firstTile: ir == 0, lastTile: ir + mr >= mc);
                    }
                }
                else if (stage == CStage.Middle || (stage == CStage.First && !accumulate))
                {
                    Tile(kernel, width, kc, aPanel, bPanel, copy, mr, add: stage == CStage.Middle);
                }
                else if (full && stage == CStage.First)
                {
                    MicroKernel512.Run(kc, aPanel, bPanel, cTile, ldc, copy, mr, add: true);
                }
                else if (full)
                {
                    MicroKernel512.Run(kc, aPanel, bPanel, copy, mr, cTile, ldc, add: true);
                }
                else
                {
                    // An edge or narrow tile: its sum into scratch, then C + sum for the valid part (into the copy or C).
                    Tile(kernel, width, kc, aPanel, bPanel, tile, mr, add: false);
                    for (int j = 0; j < columns; j++)
                    {
                        T* sum = tile + (j * mr);
                        T* packed = copy + (j * mr);
                        T* inPlace = cTile + ((nint)j * ldc);
                        for (int i = 0; i < rows; i++)
                        {
                            if (stage == CStage.First)
                            {
                                packed[i] = inPlace[i] + sum[i];
                            }
                            else
                            {
                                inPlace[i] = packed[i] + sum[i];
                            }
                        }
                    }
                }
            }
        }
    }
}
