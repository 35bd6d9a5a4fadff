using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace NeuralNet.Kernels;

/// <summary>
/// The blocked GEMM on one thread (the loop order of Goto and van de Geijn): for each block of
/// <see cref="BlockColumns"/> columns of C and <see cref="BlockDepth"/> steps of k, pack op(B) once
/// (it stays in the L3/L2 cache); for each block of <see cref="RowsPerBlock{T}"/> rows pack op(A) (it stays
/// in L2); then walk the micro-tiles, each B̂ panel staying in L1 while the Â panels stream past it. An untransposed op(A)
/// is packed by the tiles of the block's first panel as they multiply (<see cref="PacksAInKernel"/>) rather than in a
/// pass of its own.
/// </summary>
/// <remarks>
/// Where the memory latency is hidden, every request into L2 unless it says L1: the micro-kernel requests its tile of C
/// (from L3 or memory for a large C) before its last steps (<see cref="MicroKernel512.CPrefetchSteps"/>), and Â's lines
/// (float) or B̂'s (double) a few steps ahead into L1; each tile of a float B̂ panel requests its share of the next panel
/// (<see cref="RequestNextPanel{T}"/>: in a shared product the other core packed half of them); a tile that packs Â as it
/// multiplies requests the next tile's rows of op(A) as stored, step by step (the block's first tile its own, ahead:
/// <see cref="MicroKernel512.RunPackingA{T}"/>); packing an untransposed op(A) in a pass of its own (a block with an edge
/// tile of rows, the other kernels) requests its source columns ahead (<see cref="GemmPacking.ColumnsAhead"/>), packing op(B) the next panel's
/// columns (untransposed) or the next pass's pieces of its stored columns (transposed: a layer's weights in its forward
/// pass), all in <see cref="GemmPacking.PackB{T}"/>. From three depth blocks on, C is kept between them in a packed copy
/// whose tiles are one run of memory each (<see cref="UsesPackedC"/>). None of it changes which values are summed in
/// which order.
/// </remarks>
internal static unsafe partial class GemmDriver
{
    /// <summary>
    /// k steps per packed block (kc). Fixed on every machine, because it decides the order in which each element of C
    /// is summed: results then differ between machines only by the micro-kernel's vector width. A B̂ micro-panel of
    /// kc × 12 doubles (the widest kernel's) is 24 KB, within any current core's L1 data cache beside the C tile.
    /// </summary>
    public const int BlockDepth = 256;

    /// <summary>
    /// Rows of C per packed Â block of doubles (mc; float's is <see cref="RowsPerBlock{T}"/>), from the L2 cache this
    /// processor reports: an Â block of mc × kc doubles fills at most half of it, in whole tiles of the widest kernel, and
    /// at most 256 rows (512 were slower for doubles). Grouping rows does not change any sum, so results are the same for every mc.
    /// </summary>
    public static readonly int BlockRows = RowsFor(MachineProfile.L2Bytes);

    /// <summary>
    /// mc for elements of <typeparamref name="T"/>: <see cref="BlockRows"/> for double, and for float the rows that fill the
    /// same bytes (twice as many: 512 rows of 256 steps are 512 KB). A taller Â block halves how often each B̂ micro-panel
    /// comes back from L3 (once per block of rows); 2048 × 2048 floats ran faster with 512 rows than with 256, while
    /// doubles ran slower with 512 (1 MB, half the L2 cache) than with 256 (benchmarks/README.md).
    /// </summary>
    public static int RowsPerBlock<T>()
        where T : unmanaged
        => BlockRows * sizeof(double) / sizeof(T);

    /// <summary>
    /// Columns of C per packed B̂ block (nc; the driver rounds it up to whole tiles and balances the blocks), from the L3 cache: a B̂ block of kc × nc
    /// doubles fills at most a quarter of it, and at most 2048 columns. Like mc, it changes no sum.
    /// </summary>
    public static readonly int BlockColumns = ColumnsFor(MachineProfile.L3Bytes);

    /// <summary>mc for an L2 cache of <paramref name="l2Bytes"/>: half of it for mc × kc doubles, whole 32-row tiles, 32-256 rows.</summary>
    internal static int RowsFor(long l2Bytes) => (int)Math.Clamp(l2Bytes / 2 / (BlockDepth * sizeof(double)) / 32 * 32, 32, 256);

    /// <summary>nc for an L3 cache of <paramref name="l3Bytes"/>: a quarter of it for kc × nc doubles, whole 64-column steps, 256-2048 columns.</summary>
    internal static int ColumnsFor(long l3Bytes) => (int)Math.Clamp(l3Bytes / 4 / (BlockDepth * sizeof(double)) / 64 * 64, 256, 2048);

    /// <summary>Column-major <c>C (+)= op(A)·op(B)</c> (m × n, depth k ≥ 1) with the given micro-kernel.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run<T>(
        GemmKernel kernel, bool transposeA, bool transposeB, int m, int n, int k,
        T* a, int lda, T* b, int ldb, T* c, int ldc, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int mr = GemmKernels.RowsPerTile<T>(kernel);
        int nr = GemmKernels.ColumnsPerTile(kernel);
        // Column blocks of equal size in whole tiles, as for k: 2048 columns are one block of 2052, not 2040 and a block
        // of 8 for which all of op(A) would be packed again (~2 % of a 2048 × 2048 product on one core).
        int blockColumns = Balanced(n, RoundUp(BlockColumns, nr), nr);

        // Blocks of k (and of m) of equal size rather than full ones and a thin remainder: 784 is 4 × 196,
        // not 3 × 256 + 16, whose last block would pay the tile's load and store of C for little work.
        int blockDepth = Balanced(k, BlockDepth, 1);
        int blockRows = Balanced(m, RowsPerBlock<T>(), mr);
        int kcMax = blockDepth;
        int mcMax = Math.Min(blockRows, RoundUp(m, mr));
        int ncMax = Math.Min(blockColumns, RoundUp(n, nr));
        T* packedA = PackingBuffers<T>.A(mcMax * kcMax);
        T* packedB = PackingBuffers<T>.B(kcMax * ncMax);
        T* tile = PackingBuffers<T>.Tile(mr * nr);
        int mPadded = RoundUp(m, mr);
        T* packedC = UsesPackedC<T>(kernel, m, n, k) ? PackingBuffers<T>.C(mPadded * ncMax) : null;

        for (int jc = 0; jc < n; jc += blockColumns)
        {
            int nc = Math.Min(blockColumns, n - jc);
            for (int pc = 0; pc < k; pc += blockDepth)
            {
                int kc = Math.Min(blockDepth, k - pc);
                T* bBlock = transposeB ? b + jc + ((nint)pc * ldb) : b + pc + ((nint)jc * ldb);
                GemmPacking.PackB(transposeB, bBlock, ldb, kc, nc, nr, packedB);
                bool add = accumulate || pc > 0;
                CStage stage = pc == 0 ? CStage.First : pc + kc < k ? CStage.Middle : CStage.Last;
                for (int ic = 0; ic < m; ic += blockRows)
                {
                    int mc = Math.Min(blockRows, m - ic);
                    T* aBlock = transposeA ? a + pc + ((nint)ic * lda) : a + ic + ((nint)pc * lda);
                    T* aSource = PacksAInKernel(kernel, transposeA, mc, nc, mr, nr) ? aBlock : null;
                    if (aSource == null)
                    {
                        GemmPacking.PackA(transposeA, aBlock, lda, mc, kc, mr, packedA);
                    }

                    T* cBlock = c + ic + ((nint)jc * ldc);
                    if (packedC != null)
                    {
                        MultiplyStage(stage, mc, nc, kc, mr, nr, packedA, packedB, cBlock, ldc, packedC + ((nint)ic * nr), mPadded * nr, accumulate, tile, aSource, lda);
                    }
                    else
                    {
                        MultiplyBlock(kernel, mc, nc, kc, mr, nr, packedA, packedB, cBlock, ldc, add, tile, aSource, lda);
                    }
                }
            }
        }
    }

    /// <summary>Multiplies a packed Â block (mc × kc) by a packed B̂ block (kc × nc) into C, tile by tile, each B̂ micro-panel staying in L1 while the Â panels stream past it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void MultiplyBlock<T>(
        GemmKernel kernel, int mc, int nc, int kc, int mr, int nr,
        T* packedA, T* packedB, T* c, int ldc, bool add, T* tile, T* aSource = null, int lda = 0)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int share = NextPanelShare<T>(kernel, mc, kc, mr, nr);
        for (int jr = 0; jr < nc; jr += nr)
        {
            int columns = Math.Min(nr, nc - jr);
            T* bPanel = packedB + (jr * kc);
            int width = TileWidth(kernel, columns, nr);
            for (int ir = 0; ir < mc; ir += mr)
            {
                int rows = Math.Min(mr, mc - ir);
                T* aPanel = packedA + (ir * kc);
                T* cTile = c + ir + ((nint)jr * ldc);
                RequestNextPanel(bPanel, kc * nr, ir / mr, share, last: jr + nr >= nc);
                if (aSource != null && jr == 0)
                {
                    if (kernel == GemmKernel.Vector512)
                    {
                        MicroKernel512.RunPackingA(kc, aSource + ir, lda, aPanel, bPanel, cTile, ldc, cTile, ldc, add, firstTile: ir == 0, lastTile: ir + mr >= mc);
                    }
                    else
                    {
                        MicroKernel256.RunPackingA(kc, aSource + ir, lda, aPanel, bPanel, cTile, ldc, add, firstTile: ir == 0, lastTile: ir + mr >= mc);
                    }

                    continue;
                }

                if (rows == mr && columns == width)
                {
                    Tile(kernel, width, kc, aPanel, bPanel, cTile, ldc, add);
                    continue;
                }

                // An edge tile: the kernel writes a whole tile to scratch, and only its valid part reaches C.
                Tile(kernel, width, kc, aPanel, bPanel, tile, mr, add: false);
                for (int j = 0; j < columns; j++)
                {
                    T* source = tile + (j * mr);
                    T* destination = cTile + ((nint)j * ldc);
                    for (int i = 0; i < rows; i++)
                    {
                        destination[i] = add ? destination[i] + source[i] : source[i];
                    }
                }
            }
        }
    }

    /// <summary>
    /// Whether a block of op(A) is packed by the tiles of its first panel of columns (<see cref="MicroKernel512.RunPackingA{T}"/>,
    /// <see cref="MicroKernel256.RunPackingA{T}"/>) rather than in a pass of its own: with the Vector512 or the Vector256 kernel,
    /// for an untransposed op(A) (a step's rows of a tile lie together, as the kernel loads them), whole tiles of rows and a
    /// full first panel. Packed in a pass of its own, each of op(A)'s lines came from L3 or memory while no multiply-add ran;
    /// read by the tiles, the wait overlaps their multiply-adds (benchmarks/README.md, "Why the kernels are shaped so").
    /// Either way Â holds the same values: the same bits.
    /// </summary>
    internal static bool PacksAInKernel(GemmKernel kernel, bool transposeA, int mc, int nc, int mr, int nr)
        => PackingAInKernel && (kernel is GemmKernel.Vector512 or GemmKernel.Vector256) && !transposeA && mc % mr == 0 && nc >= nr;

    /// <summary>Whether <see cref="PacksAInKernel"/> may choose the kernel's packing (set only by the tests and the runner's A/B, to compare the two: the same bits).</summary>
    internal static bool PackingAInKernel { get; set; } = true;

    /// <summary>
    /// Bytes of the next B̂ panel each tile of the current one requests (<see cref="RequestNextPanel{T}"/>): the panel's
    /// bytes spread over the block's tiles, in whole cache lines; 0 where nothing is requested (off x86 too). With the
    /// Vector512 kernel for floats only: its double kernel requests its own B̂ lines a few steps ahead, and with these
    /// requests too the double products of W3's shapes ran ~1 % slower; the Vector256 kernel requests none of its own, and
    /// gains from these for both types (the Vector128 kernel was not measured, and requests nothing; benchmarks/README.md,
    /// "Why the kernels are shaped so").
    /// </summary>
    internal static int NextPanelShare<T>(GemmKernel kernel, int mc, int kc, int mr, int nr)
        where T : unmanaged
    {
        int tiles = (mc + mr - 1) / mr;
        bool requests = kernel == GemmKernel.Vector256 || (kernel == GemmKernel.Vector512 && typeof(T) == typeof(float));
        return requests && Sse.IsSupported && tiles > 1 ? RoundUp(((kc * nr * sizeof(T)) + tiles - 1) / tiles, 64) : 0;
    }

    /// <summary>
    /// Requests into L2 the <paramref name="tileIndex"/>-th share (<paramref name="share"/> bytes) of the B̂ panel after
    /// <paramref name="bPanel"/>, a panel of <paramref name="panelValues"/> values, while this panel's tiles run; nothing
    /// for the block's last panel (<paramref name="last"/>). In a shared product the other core packed half of the panels,
    /// and a panel's lines then come from that core's cache or from L3, one tile's worth of steps at a time.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void RequestNextPanel<T>(T* bPanel, int panelValues, int tileIndex, int share, bool last)
        where T : unmanaged
    {
        int start = tileIndex * share, bytes = panelValues * sizeof(T);
        if (share > 0 && !last && start < bytes)
        {
            GemmPacking.RequestIntoL2((byte*)(bPanel + panelValues) + start, Math.Min(share, bytes - start));
        }
    }

    /// <summary>
    /// The columns a tile of a panel with <paramref name="columns"/> valid ones is multiplied in: the Vector512 kernel's last
    /// panel of 4 or 8 columns or fewer runs its narrow tiles (1024 columns end in a panel of 4, 2048 in one of 8, where the
    /// full tile multiplied 8 or 4 columns of zero padding: ~0.8 % of a 1024-column product); every other panel is a full tile.
    /// </summary>
    internal static int TileWidth(GemmKernel kernel, int columns, int nr)
        => kernel != GemmKernel.Vector512 || columns > 8 ? nr : columns > 4 ? 8 : 4;

    private static void Tile<T>(GemmKernel kernel, int width, int kc, T* a, T* b, T* c, int ldc, bool add)
        where T : unmanaged
    {
        switch (kernel)
        {
            case GemmKernel.Vector512 when width == MicroKernel512.Columns:
                MicroKernel512.Run(kc, a, b, c, ldc, add);
                break;
            case GemmKernel.Vector512 when width == 8:
                MicroKernel512.RunEight(kc, a, b, c, ldc, add);
                break;
            case GemmKernel.Vector512:
                MicroKernel512.RunFour(kc, a, b, c, ldc, add);
                break;
            case GemmKernel.Vector256:
                MicroKernel256.Run(kc, a, b, c, ldc, add);
                break;
            default:
                MicroKernel128.Run(kc, a, b, c, ldc, add);
                break;
        }
    }

    /// <summary><paramref name="value"/> rounded up to a multiple of <paramref name="multiple"/>.</summary>
    internal static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;

    /// <summary>The size of ⌈length/limit⌉ equal blocks covering <paramref name="length"/>, rounded up to <paramref name="unit"/> (never above limit).</summary>
    internal static int Balanced(int length, int limit, int unit)
    {
        int blocks = (length + limit - 1) / limit;
        return Math.Min(limit, RoundUp((length + blocks - 1) / blocks, unit));
    }
}
