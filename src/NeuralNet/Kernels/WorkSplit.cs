namespace NeuralNet.Kernels;

/// <summary>How a multiply is shared between the two cores (<see cref="WorkSplit.Product"/>).</summary>
internal enum ProductSplit
{
    /// <summary>All on the calling thread: too small for a hand-over to pay, or no second core.</summary>
    OneCore,

    /// <summary>C cut into strips that both threads claim (<see cref="ParallelGemm{T}"/>); each strip packs its own panels.</summary>
    Strips,

    /// <summary>
    /// Each packed block of op(A) and op(B) packed once for both threads, every packing and multiply cut into pieces that
    /// both claim (<see cref="SharedBlockGemm{T}"/>; from two steps on each thread claims whole row blocks and packs their
    /// op(A) itself, <see cref="WorkSplit.OwnRowBlocks"/>); when op(A) is small (<see cref="WorkSplit.ColumnGroups"/>) it is packed
    /// once whole and C's column groups are claimed instead (<see cref="ColumnGroupGemm{T}"/>).
    /// </summary>
    SharedBlocks,
}

/// <summary>
/// The one place that decides how work is cut between the cores: when a multiply or an element-wise update is worth a
/// hand-over to <see cref="SecondCore"/>, where it is cut, and how a layer's forward pass is cut so that each core reads
/// only the weights it wrote itself (the rules for a dense layer's passes are in <c>WorkSplit.Layers.cs</c>, the products'
/// here).
/// </summary>
/// <remarks>
/// <para>
/// The rules, and why (the measurements behind the thresholds are in benchmarks/README.md):
/// </para>
/// <list type="bullet">
/// <item>A hand-over costs a few microseconds, about what 2^20 multiply-adds take on one core: smaller products stay on
/// one core (<see cref="MinimumProductWork"/>), and so do element-wise updates of fewer than 2^15 values
/// (<see cref="MinimumUpdateLength"/>; an update moves ~20 bytes a value, so a large one is bound by one core's memory
/// bandwidth).</item>
/// <item>An element-wise update is cut in two halves of whole cache lines (<see cref="UpdateSplit"/>), the caller
/// taking the first. For a weight matrix (column-major, <c>outputs × inputs</c>) the cut falls between input columns
/// (<see cref="WeightColumnSplit"/>); the forward pass <c>Z = X·Wᵀ</c> is cut along its depth at the same column
/// (<see cref="ForwardDepthSplit"/>, <see cref="SplitDepthGemm{T}"/>) and the weight gradient's column strips go to the
/// same cores (first strip to the caller), so the weights never move between the cores' caches. A layer too large for
/// that (<see cref="LargeLayerWeights"/>) shares its forward product like any other.</item>
/// <item>A product is cut along the longer side of C, in whole micro-tiles; strips rather than fixed halves let a
/// core slowed by another process take less. Every strip cut by columns packs all of op(A) again, so at most
/// <see cref="MaximumStrips"/>, about <see cref="WorkPerStrip"/> multiply-adds each. From <see cref="SharedBlocksWork"/>
/// multiply-adds on, every packed block serves both threads and each packing and multiply is cut into pieces that
/// both claim (<see cref="ProductSplit.SharedBlocks"/>, <see cref="SharedMultiplyPieces"/>): nothing is cut in advance, so
/// a core slowed by the host for a while (common on a virtual machine) takes fewer pieces and neither waits at a cut that
/// turned out wrong. From two steps (blocks of columns × blocks of depth) on, and for doubles from one, the pieces are whole
/// row blocks (cut in parts of the columns, <see cref="OwnRowPieces"/> a step), each thread packing the op(A) of the rows it
/// claims into its own buffer (<see cref="OwnRowBlocks"/>): a core then reads only op(A) it packed itself.</item>
/// <item>When one depth block of the product's op(A) (all its rows) fits in half of a core's L2 cache
/// (<see cref="ColumnGroups"/>; a layer's product over a batch of 256, the forward product and ∂L/∂X of a 1024-wide layer
/// and its weight gradient; float 1024 × 1024), op(A) is packed once, as many depth blocks at a time as fit there (a
/// part; for W3's float products all of them), and C is cut into groups of column panels that the threads claim from
/// opposite ends in shrinking sizes, each computed over the part's depth blocks by one thread
/// (<see cref="ColumnGroupGemm{T}"/>): the threads meet once per part and, for the rows of op(A) the other packed, at each
/// depth block's first panel, not at every block of work, and the last group is one panel, so neither waits for more than that (faster than shared blocks at W3's float and double forward shapes,
/// its float weight gradient and float 1024 × 1024, alternated in one process: the runner's <c>shared-ab</c>).</item>
/// <item>A product of few rows (<see cref="DirectRowsLimit"/>) or few columns (<see cref="DirectColumnsLimit"/>) is cut
/// into two halves of columns multiplied without packing (<see cref="DirectOnTwoCores"/>); one of few columns over several
/// depth blocks into two halves of its depth instead, so that each core reads the half of op(A) it mostly wrote
/// (<see cref="DirectDepthHalves"/>).</item>
/// <item>The backward pass of a small layer above such a cut layer is cut into two halves of its inputs, the layer below's
/// ∂L/∂Z made in each (<see cref="BackwardInputHalves"/>), while handing work over is cheap (<see cref="SecondCore.HandOverIsCheap"/>).</item>
/// <item>Every rule gives the same bits whichever thread does which part, and when the helper is busy or late the
/// caller does its part the same way: results depend on the shapes only, never on timing (a choice taken on the measured
/// cost of a hand-over chooses between paths of the same bits).</item>
/// </list>
/// </remarks>
internal static partial class WorkSplit
{
    /// <summary>Below this many multiply-adds (m·n·k) one core does the whole product.</summary>
    public const long MinimumProductWork = 1L << 20;

    /// <summary>Below this many values one core does an element-wise update.</summary>
    public const int MinimumUpdateLength = 1 << 15;

    /// <summary>Multiply-adds per strip, about: enough that a strip's packing and hand-over stay small beside it.</summary>
    public const long WorkPerStrip = 1L << 21;

    /// <summary>At most this many strips per product (each packs all of op(A)).</summary>
    public const int MaximumStrips = 4;

    /// <summary>From this many multiply-adds on, a product shares its packed blocks and both threads claim its pieces (<see cref="SharedBlockGemm{T}"/>).</summary>
    public const long SharedBlocksWork = 1L << 26;

    /// <summary>
    /// Up to this many rows of C, a product shared by the cores is multiplied without packing (<see cref="DirectOnTwoCores"/>),
    /// and so is each half of one cut along its depth (<see cref="DirectHalves"/>): 128 with the Vector512 tiles (a batch of up
    /// to 128 samples, or a weight gradient of a layer of up to 128 units); 96 with the Vector256 tiles, where a tile covers 16
    /// rows, not 32, so each value of op(B) is read twice as often for each row of C, and W2's weight gradient of 128 rows went
    /// faster packed. (64 before 2026-12-01, when the direct path still copied a transposed op(A) in a scalar loop; the
    /// measurements are in benchmarks/README.md.)
    /// </summary>
    public static int DirectRowsLimit => DirectGemm.Wide ? 128 : 96;

    /// <summary>
    /// The row limit in force, <see cref="DirectRowsLimit"/>; the runner's <c>w2-dw-ab</c> and the tests set 64 (the limit
    /// before) and 128, to compare the paths (the same bits).
    /// </summary>
    internal static int DirectRows { get; set; } = DirectRowsLimit;

    /// <summary>Up to this many columns of C, a product shared by the cores is multiplied without packing too (<see cref="DirectOnTwoCores"/>).</summary>
    public const int DirectColumnsLimit = 16;

    /// <summary>
    /// With the Vector256 tiles (<see cref="DirectGemm.Wide"/> false), a product of few columns (<see cref="DirectColumnsLimit"/>)
    /// and more rows than <see cref="DirectRows"/> is packed, not shared without packing, when op(A)'s columns, as the tiles
    /// read them (<see cref="DirectGemm.ColumnBytes{T}"/>), lie a multiple of this many bytes apart (1024, 2048 or 4096 floats
    /// as stored). Each tile reads a cache line from each of op(A)'s columns in turn, then all at the same offset of a 4 KB
    /// page, and such products measured slower than packed, where as many rows at other strides measured faster. The
    /// Vector512 tiles measured level at such strides and keep the direct path. (The figures are in benchmarks/README.md.)
    /// </summary>
    public const int AliasedColumnBytes = 4096;

    /// <summary>
    /// From this many weights on (2 MB of floats), a dense layer's forward product is not cut along its depth
    /// (<see cref="ForwardDepthSplit"/>) but shared like any other product: each core's half of the weights no longer stays in
    /// its L2 cache (1-2 MB on current cores) beside the packed blocks, so the depth cut keeps nothing in a cache, while its
    /// fixed halves make the faster core wait for the slower (W3's 1024 × 1024 layers; the measurement is in benchmarks/README.md) and its sum of the two halves costs a pass over the output.
    /// A constant, not the running machine's cache size, so that a layer sums in the same order on every machine.
    /// </summary>
    public const long LargeLayerWeights = 1L << 19;

    /// <summary>
    /// Pieces a shared multiply of a packed block is cut into, at most (<see cref="SharedMultiplyPieces"/>; the packing of
    /// its op(B) block follows the same columns): enough that a core slowed by the host takes fewer pieces while the
    /// other waits for at most one, few enough that each piece still multiplies whole panels many times over.
    /// </summary>
    public const int SharedBlockPieces = 16;

    /// <summary>Pieces a shared packing of an op(A) block is cut into, at most (<see cref="SharedPackingPieces"/>).</summary>
    public const int SharedPackingPieceLimit = 4;

    /// <summary>
    /// Pieces each step of a product shared in own row blocks (<see cref="OwnRowBlocks"/>) is cut into, about: every row
    /// block into as many parts of the columns as make this many, so that the thread finishing first waits for at most a
    /// thirty-second of a step of the other's (a whole row block of a 2048-column product is several milliseconds).
    /// </summary>
    public const int OwnRowPieces = 32;

    /// <summary>Whether there is a second core to hand work to.</summary>
    public static bool TwoCores => SecondCore.Exists;

    /// <summary>Where an element-wise update of <paramref name="length"/> values is cut: the caller takes the values before it, the helper the rest (whole cache lines each).</summary>
    public static int UpdateSplit(int length) => length / 2 / 64 * 64;

    /// <summary>
    /// The chunk in which an element-wise map of <paramref name="length"/> values is shared (<see cref="SharedMap"/>): about
    /// a sixteenth of it in whole cache lines (a multiple of every vector width), so a thread slowed by another process
    /// takes fewer chunks and the other waits at most for one.
    /// </summary>
    public static int MapChunk(int length) => Math.Max(64, ((length / 16) + 63) / 64 * 64);

    /// <summary>
    /// How a shared multiply of a packed block of <paramref name="rowPanels"/> × <paramref name="columnPanels"/>
    /// micro-panels is cut (<see cref="SharedBlockGemm{T}"/>): along the columns, in whole panels, into up to
    /// <see cref="SharedBlockPieces"/> pieces, so each thread keeps mostly the same columns of op(B) and C from block to
    /// block; a block of few panels of columns is cut along its rows too.
    /// </summary>
    public static (int RowPieces, int ColumnPieces) SharedMultiplyPieces(int rowPanels, int columnPanels)
    {
        int columnPieces = Math.Min(columnPanels, SharedBlockPieces);
        return (Math.Clamp(SharedBlockPieces / columnPieces / 2, 1, rowPanels), columnPieces);
    }

    /// <summary>
    /// Whether a shared product of m rows and depth k, for micro-tiles of <paramref name="mr"/> rows and elements of
    /// <paramref name="elementBytes"/>, packs op(A) once and has C's column groups claimed (<see cref="ColumnGroupGemm{T}"/>):
    /// one depth block of its packed op(A) fills at most half of this core's L2 cache, so it stays there beside a group's
    /// part of C and panels of op(B). (Larger, each group would stream op(A) from L3: double products with 2 MB of op(A)
    /// per depth block were slower so.) Either path gives the same bits.
    /// </summary>
    public static bool ColumnGroups(int m, int k, int mr, int elementBytes)
        => ColumnGroupDepthBlocks(m, k, mr, elementBytes) > 0;

    /// <summary>
    /// Depth blocks of op(A) a product shared in column groups packs at a time (all of them when they fit in half of L2; the
    /// threads meet once per such part), or 0 when not even one does.
    /// </summary>
    public static int ColumnGroupDepthBlocks(int m, int k, int mr, int elementBytes)
    {
        int kc = GemmDriver.Balanced(k, GemmDriver.BlockDepth, 1), blocks = (k + kc - 1) / kc;
        long perBlock = (long)GemmDriver.RoundUp(m, mr) * kc * elementBytes;
        return (int)Math.Min(blocks, MachineProfile.L2Bytes / 2 / perBlock);
    }

    /// <summary>
    /// Whether a product shared in packed blocks (<see cref="SharedBlockGemm{T}"/>, not in column groups) of
    /// <paramref name="steps"/> steps (blocks of columns × blocks of depth) has each thread claim whole row blocks, packing
    /// their op(A) into its own buffer (own row blocks), rather than both threads packing each block of op(A) and sharing
    /// its multiply: from two steps on, and for elements of <paramref name="elementBytes"/> 8 (doubles) from one. The packed
    /// block of op(B) is still packed by both and read by both. Then each core multiplies only op(A) it packed itself, in its
    /// own L2, instead of reading the half the other core packed from that core's cache, and the threads meet once per step
    /// instead of at every block of op(A) (the measurements are in benchmarks/README.md). With a single step (a weight
    /// gradient over a batch, depth 256) the row block where the claims meet is packed by both threads and is a larger part
    /// of the work: there floats keep the shared multiply (own row blocks 0.987-1.024 of it), while doubles, whose kernel
    /// requests B̂'s lines ahead rather than Â's and so waits longer for the half of Â from the other core, gain from own
    /// row blocks (1.016-1.060, op(A) as stored or transposed).
    /// </summary>
    public static bool OwnRowBlocks(int steps, int elementBytes) => steps >= 2 || elementBytes == sizeof(double);

    /// <summary>Pieces a shared packing of an op(A) block of <paramref name="rowPanels"/> micro-panels is cut into.</summary>
    public static int SharedPackingPieces(int rowPanels) => Math.Min(SharedPackingPieceLimit, rowPanels);

    /// <summary>Whether an element-wise update of <paramref name="length"/> values is shared between the cores.</summary>
    public static bool SharesUpdate(int length) => length >= MinimumUpdateLength && TwoCores;

    /// <summary>
    /// Whether a product C (m × n, depth k) of at most <see cref="DirectRowsLimit"/> rows, or
    /// <see cref="DirectColumnsLimit"/> columns (op(A)'s columns <paramref name="aColumnBytes"/> apart:
    /// <see cref="AliasedColumnBytes"/>), too small for shared blocks, is shared without packing
    /// (<see cref="DirectGemm.TakesOnTwoCores"/>): C cut into two halves of columns, each thread reading the operands where
    /// they lie. With so few rows every packed panel of op(B) serves at most four row tiles (six of the Vector256 tiles),
    /// so packing it (a read and a write of each value) costs more than the direct path's reads of its few columns from L1
    /// for each row tile; a cut in whole 12-column tiles leaves the halves unequal (72 and 56 of 128), and halves of W2's
    /// weight gradient (128 × 784) fall where the weights' update cuts them (<see cref="WeightColumnSplit"/>). With so few
    /// columns (a small output layer's forward product, such as 256 × 10 of depth 1024) the direct path reads op(A) where
    /// it lies, while packed strips would pack all of op(A) to multiply it by a single panel; over several depth blocks its
    /// depth is cut instead of its columns (<see cref="DirectDepthHalves"/>).
    /// </summary>
    public static bool DirectOnTwoCores(int m, int n, int k, int aColumnBytes)
    {
        long work = (long)m * n * k;
        return TwoCores && FewRowsOrColumns(m, n, aColumnBytes) && n >= 2 && work >= MinimumProductWork && work < SharedBlocksWork;
    }

    /// <summary>
    /// A product of few rows (<see cref="DirectRows"/>), or of few columns (with the Vector256 tiles, op(A) not read at 4 KB
    /// strides: <see cref="AliasedColumnBytes"/>).
    /// </summary>
    private static bool FewRowsOrColumns(int m, int n, int aColumnBytes)
        => m <= DirectRows || (n <= DirectColumnsLimit && (DirectGemm.Wide || aColumnBytes % AliasedColumnBytes != 0));

    /// <summary>
    /// Whether the two depth halves of a product cut along its depth (<see cref="SplitDepthGemm{T}"/>; halves of
    /// <paramref name="firstDepth"/> and <paramref name="secondDepth"/> steps) are each multiplied without packing: a
    /// product of few rows or few columns, as for <see cref="DirectOnTwoCores"/> (op(A) stored with columns
    /// <paramref name="lda"/> apart), on a processor that runs the direct path. W2's forward product (64 × 128, depth 392 a
    /// core): packing op(B) costs a pass over each core's half of the weights for just two row tiles, or four over a batch
    /// of 128 (measured with the runner's <c>w2-layer-probe</c> and <c>w2-dw-ab halves</c>; the figures are in benchmarks/README.md).
    /// </summary>
    public static bool DirectHalves<T>(bool transposeA, int m, int n, int lda, int firstDepth, int secondDepth)
        where T : unmanaged
        => FewRowsOrColumns(m, n, DirectGemm.ColumnBytes<T>(transposeA, m, lda))
            && DirectGemm.Supported<T>()
            && (!transposeA || (long)GemmDriver.RoundUp(m, 16) * Math.Max(firstDepth, secondDepth) <= GemmDriver.BlockRows * GemmDriver.BlockDepth);

    /// <summary>
    /// Whether a product shared without packing (<see cref="DirectOnTwoCores"/>) of <paramref name="n"/> columns and depth
    /// <paramref name="k"/> is cut along its depth rather than into halves of C's columns (<see cref="DirectGemm.RunDepthHalves{T}"/>):
    /// a product of few columns (<see cref="DirectColumnsLimit"/>, a small output layer's forward product) of two depth blocks
    /// or more, op(A) as stored. Halves of its few columns had each core read all of op(A) (the layer's input, which the
    /// layer below wrote half on each core), where depth halves have each read the columns of it that it mostly wrote itself.
    /// The cut falls between depth blocks and each block's sum is added to C in order, so the bits are the same.
    /// </summary>
    public static bool DirectDepthHalves(bool transposeA, int n, int k)
        => !transposeA && n <= DirectColumnsLimit && k > GemmDriver.Balanced(k, GemmDriver.BlockDepth, 1);

    /// <summary>
    /// How a product C (m × n, depth k) is shared, for micro-tiles of <paramref name="mr"/> × <paramref name="nr"/>: with
    /// <see cref="ProductSplit.Strips"/>, whether C is cut by columns and into how many strips.
    /// </summary>
    public static ProductSplit Product(int m, int n, int k, int mr, int nr, out bool byColumns, out int strips)
    {
        long work = (long)m * n * k;
        byColumns = n >= 2 * nr && (n >= m || m < 2 * mr);
        bool byRows = !byColumns && m >= 2 * mr;
        strips = 0;
        if (work >= SharedBlocksWork && TwoCores)
        {
            return ProductSplit.SharedBlocks; // its pieces are cut along the columns, or the rows where there are few columns
        }

        if (work < MinimumProductWork || !TwoCores || !(byColumns || byRows))
        {
            return ProductSplit.OneCore;
        }

        int length = byColumns ? n : m, unit = byColumns ? nr : mr;
        strips = (int)Math.Clamp(work / WorkPerStrip, 2, Math.Min(MaximumStrips, length / unit)) & ~1;
        return ProductSplit.Strips;
    }
}
