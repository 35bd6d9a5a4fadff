using System.Numerics;
using System.Runtime.CompilerServices;

namespace NeuralNet.Kernels;

/// <summary>
/// Shares a large multiply whose op(A) is small (a layer's product over a batch: 256 rows × 1024 steps) between the
/// calling thread and <see cref="SecondCore"/>: op(A) is packed once, every depth block of it (or as many as fit in half
/// of L2 at a time: a part), into one buffer both threads read; C is cut into groups of whole column panels that the
/// threads claim from opposite ends, and each group is computed over all the depth blocks of the part by the thread that
/// claimed it, its panels of op(B) packed into that thread's own buffer just before it multiplies them. Each depth block
/// of op(A) is packed by the threads' first panels that reach it, each thread its pieces of rows as its tiles multiply
/// them (<see cref="MultiplyPanel"/>), not in a phase before any group.
/// </summary>
/// <remarks>
/// <para>
/// Against <see cref="SharedBlockGemm{T}"/> (whose phases both threads finish before the next depth block starts) the
/// threads meet only at each depth block's first panel, for the rows of op(A) the other packed, and once per part before
/// the next part's op(A) overwrites it: within a part a group's columns of C need nobody else's work, so each element of
/// C is summed over the depth blocks in order. Groups are claimed in shrinking sizes (a quarter of what is
/// left, at most <see cref="MaximumGroupPanels"/> panels, at least one), so that the thread finishing first waits for at
/// most one panel of the other's, and a core slowed by the host takes fewer groups. A group's panels of op(B) and its
/// part of C stay in that core's caches over the depth blocks; with op(B) as stored, a group is walked panel by panel,
/// each panel over all the part's depth blocks, so that its columns of C stay in L1 between the blocks.
/// </para>
/// <para>
/// Every tile of C is computed exactly as <see cref="GemmDriver"/> computes it: the same depth blocks in the same order,
/// the same tiles, the same kernel, the same packing. Only which thread multiplies a tile and when differ, so the result
/// is the same bits whichever thread claims what, and when the helper starts late or not at all the caller does all.
/// </para>
/// </remarks>
/// <typeparam name="T">float or double.</typeparam>
internal sealed unsafe class ColumnGroupGemm<T> : SharedProductJob<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>
    /// Most panels of columns one claim takes (a thread's buffer for packed op(B) holds this many, for one depth block): 16
    /// of floats, 8 of doubles, the same bytes (192 KB of packed op(B) a depth block, and as much of C over 256 rows), so that
    /// a group's panels and its part of C stay in L2 beside the part of op(A) (up to half of it) either way. With 16 panels
    /// of doubles the three filled 1.8 of a 2 MB L2 (the measurement is in benchmarks/README.md).
    /// </summary>
    internal static int MaximumGroupPanels => 64 / sizeof(T);

    /// <summary>Pieces the packing of each depth block of op(A) is cut into, at most.</summary>
    private const int PackingPieces = 4;

    // One job object per element type: SecondCore is reserved before it is filled, so it is never shared.
    private static readonly ColumnGroupGemm<T> Job = new();

    private T[]? _packedA, _packedB0, _packedB1;
    private int[] _aDone = [], _panelsDone = [];
    private long[] _aClaims = [], _groupClaims = [];
    private int _rowsPadded, _aPieces, _panels, _blocksPerPart, _parts;
    private T* _columnStart;
    private ColumnFinisher? _finisher;

    /// <summary>
    /// Whether a product of m × n, depth k takes this path: its packed op(A) (every depth block, rows rounded up to whole
    /// panels of <paramref name="mr"/>) fills at most half of this core's L2 cache, beside the group's part of C and its
    /// panels of op(B). (Whichever path a product takes, its bits are the same.)
    /// </summary>
    public static bool Takes(int m, int k, int mr) => WorkSplit.ColumnGroups(m, k, mr, sizeof(T));

    /// <summary>
    /// Runs the product on this thread and the reserved <see cref="SecondCore"/>, which is released on return. With
    /// <paramref name="columnStart"/> (n values) each column j of C first becomes <c>columnStart[j]</c> and the product is
    /// added to it, as an accumulating product adds to a C filled before (a layer's bias): each panel of C is filled just
    /// before its first multiply, by the thread that multiplies it, so the fill costs no pass of its own. With
    /// <paramref name="finisher"/>, each group's columns are handed to it by the thread that finished them, right after.
    /// </summary>
    public static void Run(
        GemmKernel kernel, bool transposeA, bool transposeB, int m, int n, int k,
        T* a, int lda, T* b, int ldb, T* c, int ldc, bool accumulate, T* columnStart, ColumnFinisher? finisher = null)
    {
        ColumnGroupGemm<T> job = Job;
        job.Prepare(kernel, transposeA, transposeB, m, n, k, a, lda, b, ldb, c, ldc, accumulate, columnStart, finisher);
        RunOnBothCores(job);
    }

    /// <summary>Fills the job for a product (the tests run one side alone after it).</summary>
    internal void Prepare(
        GemmKernel kernel, bool transposeA, bool transposeB, int m, int n, int k,
        T* a, int lda, T* b, int ldb, T* c, int ldc, bool accumulate, T* columnStart, ColumnFinisher? finisher = null)
    {
        _columnStart = columnStart;
        _finisher = finisher;
        SetProduct(kernel, transposeA, transposeB, m, n, k, a, lda, b, ldb, c, ldc, accumulate);
        _rowsPadded = GemmDriver.RoundUp(m, _mr);
        _aPieces = Math.Min(PackingPieces, _rowsPadded / _mr);
        _panels = (n + _nr - 1) / _nr;
        _blocksPerPart = Math.Max(1, WorkSplit.ColumnGroupDepthBlocks(m, k, _mr, sizeof(T)));
        _parts = (_depthBlocks + _blocksPerPart - 1) / _blocksPerPart;

        // Every buffer at once for the largest product this path takes (Takes), so nothing is allocated after the first one.
        int aLength = Math.Max(MachineProfile.L2Bytes / 2 / sizeof(T), _rowsPadded * _kc * _blocksPerPart);
        int bLength = GemmDriver.BlockDepth * MaximumGroupPanels * GemmKernels.WidestTile;
        if (_packedA is null || _packedA.Length < aLength + 64 + (64 / sizeof(T)))
        {
            _packedA = GC.AllocateUninitializedArray<T>(aLength + 64 + (64 / sizeof(T)), pinned: true); // 64 elements of slack, and room to start on a cache line
        }

        _packedB0 ??= GC.AllocateUninitializedArray<T>(bLength + 64 + (64 / sizeof(T)), pinned: true);
        _packedB1 ??= GC.AllocateUninitializedArray<T>(bLength + 64 + (64 / sizeof(T)), pinned: true);
        if (_aDone.Length < _depthBlocks)
        {
            _aDone = new int[Math.Max(_depthBlocks, 16)];
            _panelsDone = new int[_aDone.Length];
            _aClaims = new long[_aDone.Length];
            _groupClaims = new long[_aDone.Length];
        }

        Array.Clear(_aDone, 0, _depthBlocks);
        Array.Clear(_panelsDone, 0, _parts);
        Array.Clear(_aClaims, 0, _depthBlocks);
        Array.Clear(_groupClaims, 0, _parts);
    }

    /// <summary>Packs the pieces of op(A) this thread claims, then multiplies the groups of columns it claims, from the first or from the last.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal override void Work(bool fromEnd)
    {
        T* tile = PackingBuffers<T>.Tile(_mr * _nr);
        fixed (T* pa = _packedA, pb = fromEnd ? _packedB1 : _packedB0)
        {
            T* packedA = Aligned(pa), packedB = Aligned(pb);
            for (int part = 0; part < _parts; part++)
            {
                // A part: as many depth blocks as op(A) packed whole keeps in half of L2 (usually all of them).
                int first = part * _blocksPerPart, end = Math.Min(_depthBlocks, first + _blocksPerPart), partStart = first * _kc;
                if (part > 0)
                {
                    // Every group of the part before is multiplied: its sums in C are complete and its op(A) buffer is free.
                    AwaitDone(ref _panelsDone[part - 1], _panels, fromEnd);
                }

                int start;
                while ((start = ClaimGroup(ref _groupClaims[part], fromEnd, out int count)) >= 0)
                {
                    int j0 = start * _nr, columns = Math.Min(count * _nr, _n - j0);
                    bool panelFirst = !_transposeB && end - first > 1;
                    if (panelFirst)
                    {
                        MultiplyPanelFirst(j0, columns, first, end, partStart, packedA, packedB, tile, fromEnd);
                    }

                    for (int block = first; block < end && !panelFirst; block++)
                    {
                        int pc = block * _kc, kc = Math.Min(_kc, _k - pc);
                        T* bBlock = _transposeB ? _b + j0 + ((nint)pc * _ldb) : _b + pc + ((nint)j0 * _ldb);
                        GemmPacking.PackB(_transposeB, bBlock, _ldb, kc, columns, _nr, packedB);
                        int panels = (columns + _nr - 1) / _nr;
                        for (int q = 0; q < panels; q++)
                        {
                            // Panel by panel (the same tiles as the whole block): a panel of C filled with its start values
                            // is still in L1 when the kernel adds to it.
                            int c0 = q * _nr, width = Math.Min(_nr, columns - c0);
                            T* cPanel = _c + ((nint)(j0 + c0) * _ldc);
                            if (pc == 0 && _columnStart != null)
                            {
                                for (int j = 0; j < width; j++)
                                {
                                    new Span<T>(cPanel + ((nint)j * _ldc), _m).Fill(_columnStart[j0 + c0 + j]);
                                }
                            }

                            MultiplyPanel(block, width, packedA + ((nint)_rowsPadded * (pc - partStart)), packedB + (c0 * kc), cPanel, _accumulate || pc > 0 || _columnStart != null, tile, fromEnd);
                        }
                    }

                    if (part == _parts - 1)
                    {
                        _finisher?.Finish(j0, columns); // the group's columns are final, and in this core's cache
                    }

                    Interlocked.Add(ref _panelsDone[part], count);
                }
            }
        }
    }

    /// <summary>
    /// A group's columns panel by panel, each over the part's depth blocks in order (its op(B) panel packed for each block
    /// just before), so that the panel of C stays in L1 from one depth block to the next instead of coming back from L2.
    /// Taken when op(B) is stored as it is read (its panel's columns are contiguous, so a panel packs from a few lines per
    /// column); a transposed op(B) is packed a group at a time, since a panel of it alone would read 12 values from each
    /// of its 256 rows, each on a page of its own. Either way each element of C gets the part's depth blocks in order:
    /// the same bits.
    /// </summary>
    private void MultiplyPanelFirst(int j0, int columns, int first, int end, int partStart, T* packedA, T* packedB, T* tile, bool fromEnd)
    {
        for (int c0 = 0; c0 < columns; c0 += _nr)
        {
            int width = Math.Min(_nr, columns - c0);
            T* cPanel = _c + ((nint)(j0 + c0) * _ldc);
            for (int block = first; block < end; block++)
            {
                int pc = block * _kc, kc = Math.Min(_kc, _k - pc);
                T* bBlock = _transposeB ? _b + j0 + c0 + ((nint)pc * _ldb) : _b + pc + ((nint)(j0 + c0) * _ldb);
                GemmPacking.PackB(_transposeB, bBlock, _ldb, kc, width, _nr, packedB);
                if (pc == 0 && _columnStart != null)
                {
                    for (int j = 0; j < width; j++)
                    {
                        new Span<T>(cPanel + ((nint)j * _ldc), _m).Fill(_columnStart[j0 + c0 + j]);
                    }
                }

                MultiplyPanel(block, width, packedA + ((nint)_rowsPadded * (pc - partStart)), packedB, cPanel, _accumulate || pc > 0 || _columnStart != null, tile, fromEnd);
            }
        }
    }

    /// <summary>
    /// Multiplies one panel of C (<paramref name="width"/> columns) by depth block <paramref name="block"/> over all the
    /// rows. While the block's op(A) is not yet packed, this thread first claims its pieces (row ranges, from its end) and
    /// packs each with this panel's tiles as they multiply it (<see cref="GemmDriver.PacksAInKernel"/>; else in a pass of
    /// its own, then multiplies it), then waits for the other thread's pieces and multiplies their rows. So the packing of
    /// op(A) costs no pass of its own, and the threads meet at each depth block's first panel instead of before any group.
    /// Every tile is the same kernel on the same values: the same bits whichever thread packs what.
    /// </summary>
    private void MultiplyPanel(int block, int width, T* packedA, T* bPanel, T* cPanel, bool add, T* tile, bool fromEnd)
    {
        int pc = block * _kc, kc = Math.Min(_kc, _k - pc);
        if (Volatile.Read(ref _aDone[block]) >= _aPieces)
        {
            GemmDriver.MultiplyBlock(_kernel, _m, width, kc, _mr, _nr, packedA, bPanel, cPanel, _ldc, add, tile);
            return;
        }

        int mine = 0;
        for (int piece; (piece = Claim(ref _aClaims[block], _aPieces, fromEnd)) >= 0; mine++, Interlocked.Increment(ref _aDone[block]))
        {
            (int r0, int r1) = Range(piece, _aPieces, _m, _mr);
            T* stored = _transposeA ? _a + pc + ((nint)r0 * _lda) : _a + r0 + ((nint)pc * _lda);
            T* rows = packedA + (r0 * kc);
            if (GemmDriver.PacksAInKernel(_kernel, _transposeA, r1 - r0, width, _mr, _nr))
            {
                GemmDriver.MultiplyBlock(_kernel, r1 - r0, width, kc, _mr, _nr, rows, bPanel, cPanel + r0, _ldc, add, tile, stored, _lda);
            }
            else
            {
                GemmPacking.PackA(_transposeA, stored, _lda, r1 - r0, kc, _mr, rows);
                GemmDriver.MultiplyBlock(_kernel, r1 - r0, width, kc, _mr, _nr, rows, bPanel, cPanel + r0, _ldc, add, tile);
            }
        }

        // The other thread's pieces: one run of rows at the other end (claims are taken from opposite ends).
        AwaitDone(ref _aDone[block], _aPieces, fromEnd);
        int boundary = fromEnd ? Range(_aPieces - mine, _aPieces, _m, _mr).Start : Range(mine, _aPieces, _m, _mr).Start;
        (int o0, int o1) = fromEnd ? (0, boundary) : (boundary, _m);
        if (mine == _aPieces || o1 <= o0)
        {
            return;
        }

        GemmDriver.MultiplyBlock(_kernel, o1 - o0, width, kc, _mr, _nr, packedA + (o0 * kc), bPanel, cPanel + o0, _ldc, add, tile);
    }

    private static T* Aligned(T* pointer) => (T*)(((nint)pointer + 63) & ~(nint)63);

    /// <summary>Claims the next group of panels from the first or the last not yet claimed: a quarter of those left, 1 to <see cref="MaximumGroupPanels"/>; -1 when none is left.</summary>
    private int ClaimGroup(ref long claims, bool fromEnd, out int count)
    {
        while (true)
        {
            long word = Volatile.Read(ref claims);
            int low = (int)word, high = (int)(word >> 32), left = _panels - low - high;
            if (left <= 0)
            {
                count = 0;
                return -1;
            }

            count = Math.Clamp(left / 4, 1, MaximumGroupPanels);
            if (Interlocked.CompareExchange(ref claims, fromEnd ? word + ((long)count << 32) : word + count, word) == word)
            {
                return fromEnd ? _panels - high - count : low;
            }
        }
    }
}
