using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NeuralNet.Kernels;

/// <summary>
/// Products on one core too small for packing to pay (below <see cref="WorkSplit.MinimumProductWork"/>), such as a
/// small output layer's (a training batch of 64 through 128 → 10: C of 64 × 10, or 10 × 128 for the weight gradient):
/// the micro-kernel's arithmetic (Vector512, or Vector256 where AVX-512 is missing) on the operands where they lie,
/// without packing and without padding C to the micro-kernel's whole tiles. Products of few rows or few columns large enough for two cores take it too, each core
/// multiplying half of C's columns (<see cref="TakesOnTwoCores"/>): there packing would cost more than it saves (W2's
/// first layer's weight gradient, 128 × 784 of depth 64).
/// </summary>
/// <remarks>
/// A tile of C is up to two vectors of rows by up to eight columns (six with Vector256; the width balanced over the
/// columns, so 10 columns are two tiles of 5, not 8 and 2), its sums held in registers while the depth runs; rows past
/// the last whole vector are loaded and stored under a mask. op(A) is read a column at a time, as stored unless it is transposed (then
/// it is first copied, transposed, into a scratch panel by in-register transposes: op(A) is small); op(B) is read one value per column and step.
/// Each element of C is summed exactly as <see cref="GemmDriver"/> sums it with either micro-kernel: one fused
/// multiply-add per step from zero, p in order, in the same balanced blocks of <see cref="GemmDriver.BlockDepth"/>
/// steps, each block's sum added to C (or written, for the first block when not accumulating). So taking this path
/// changes no bit of any result.
/// </remarks>
internal static unsafe partial class DirectGemm
{
    /// <summary>
    /// Whether this processor runs the direct path for elements of <typeparamref name="T"/>: its best micro-kernel is the
    /// Vector512 one (AVX-512), whose fused sums the tiles repeat, or the Vector256 one (AVX2 and FMA) and the elements are
    /// floats. (Vector256 tiles of 4 doubles read as many values of op(B) a step for half the multiply-adds: at W2's shapes
    /// they were slower than packing, floats faster; the figures are in benchmarks/README.md.)
    /// </summary>
    public static bool Supported<T>()
        => Wide || (GemmKernels.Best == GemmKernel.Vector256 && typeof(T) == typeof(float));

    /// <summary>Whether the tiles are Vector512 ones (2 vectors × up to 8 columns), else Vector256 ones (2 vectors × up to 6).</summary>
    public static bool Wide => Avx512F.IsSupported && GemmKernels.Best == GemmKernel.Vector512;

    /// <summary>
    /// Whether a product of m × n × k goes to the direct path: one core's work, on a processor that runs it, and a
    /// transposed op(A) small enough for the scratch panel every thread has anyway.
    /// </summary>
    public static bool Takes<T>(bool transposeA, int m, int n, int k)
        => Supported<T>() && (long)m * n * k < WorkSplit.MinimumProductWork
            && (!transposeA || (long)GemmDriver.RoundUp(m, 16) * k <= GemmDriver.BlockRows * GemmDriver.BlockDepth);

    /// <summary>
    /// Whether a product of m × n × k runs this path on both cores, each thread multiplying half of C's columns
    /// (<see cref="ParallelGemm{T}.RunDirect"/>): a product of few rows or columns that <see cref="WorkSplit.DirectOnTwoCores"/>
    /// shares, on a processor that runs the path, with a transposed op(A) small enough for the scratch panel. op(A) is stored
    /// with its columns (as stored) or rows (transposed) <paramref name="lda"/> elements apart.
    /// </summary>
    public static bool TakesOnTwoCores<T>(bool transposeA, int m, int n, int k, int lda)
        where T : unmanaged
        => Supported<T>() && WorkSplit.DirectOnTwoCores(m, n, k, ColumnBytes<T>(transposeA, m, lda))
            && (!transposeA || (long)GemmDriver.RoundUp(m, 16) * k <= GemmDriver.BlockRows * GemmDriver.BlockDepth);

    /// <summary>
    /// The bytes between op(A)'s columns as the tiles read them: <paramref name="lda"/> elements as stored; transposed, the
    /// rows of the copy <see cref="Run"/> makes (m rounded up to whole vectors).
    /// </summary>
    internal static int ColumnBytes<T>(bool transposeA, int m, int lda)
        where T : unmanaged
        => (transposeA ? GemmDriver.RoundUp(m, Wide ? Vector512<T>.Count : Vector256<T>.Count) : lda) * sizeof(T);

    /// <summary>
    /// Column-major <c>C (+)= op(A)·op(B)</c>, m × n, depth k ≥ 1; bounds checked by the caller. <paramref name="wide"/>
    /// chooses the Vector512 or the Vector256 tiles (<see cref="Wide"/> when null; the tests run both: either gives the same bits).
    /// </summary>
    public static void Run<T>(
        bool transposeA, bool transposeB, int m, int n, int k,
        T* a, int lda, T* b, int ldb, T* c, int ldc, bool accumulate, bool? wide = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        bool wideTiles = wide ?? Wide;
        int w = wideTiles ? Vector512<T>.Count : Vector256<T>.Count;
        if (transposeA)
        {
            // op(A)[i, p] = a[p + i·lda]: copied so that each column of op(A) is contiguous.
            int rows = GemmDriver.RoundUp(m, w);
            T* panel = PackingBuffers<T>.A(rows * k);
            GemmPacking.Transpose(a, lda, m, k, panel, rows);

            a = panel;
            lda = rows;
        }

        nint bp = transposeB ? ldb : 1, bj = transposeB ? 1 : ldb; // op(B)[p, j] = b[p·bp + j·bj]
        int widest = wideTiles ? 8 : 6; // 16 sums of 32 vector registers; 12 of AVX2's 16
        int tiles = (n + widest - 1) / widest;
        int width = (n + tiles - 1) / tiles;
        int depth = GemmDriver.Balanced(k, GemmDriver.BlockDepth, 1);
        for (int pc = 0; pc < k; pc += depth)
        {
            int kc = Math.Min(depth, k - pc);
            bool add = accumulate || pc > 0;
            T* aBlock = a + ((nint)pc * lda);
            for (int j = 0; j < n; j += width)
            {
                int columns = Math.Min(width, n - j);
                T* bBlock = b + (pc * bp) + (j * bj);
                T* cBlock = c + ((nint)j * ldc);
                switch (columns)
                {
                    case 1: Columns<T, One>(wideTiles, m, kc, aBlock, lda, bBlock, bp, bj, cBlock, ldc, add); break;
                    case 2: Columns<T, Two>(wideTiles, m, kc, aBlock, lda, bBlock, bp, bj, cBlock, ldc, add); break;
                    case 3: Columns<T, Three>(wideTiles, m, kc, aBlock, lda, bBlock, bp, bj, cBlock, ldc, add); break;
                    case 4: Columns<T, Four>(wideTiles, m, kc, aBlock, lda, bBlock, bp, bj, cBlock, ldc, add); break;
                    case 5: Columns<T, Five>(wideTiles, m, kc, aBlock, lda, bBlock, bp, bj, cBlock, ldc, add); break;
                    case 6: Columns<T, Six>(wideTiles, m, kc, aBlock, lda, bBlock, bp, bj, cBlock, ldc, add); break;
                    case 7: Columns<T, Seven>(wideTiles, m, kc, aBlock, lda, bBlock, bp, bj, cBlock, ldc, add); break;
                    default: Columns<T, Eight>(wideTiles, m, kc, aBlock, lda, bBlock, bp, bj, cBlock, ldc, add); break;
                }
            }
        }
    }

    /// <summary>
    /// All rows of C for the columns of <typeparamref name="TWidth"/>: two vectors of rows at a time, then one, then the rest
    /// under a mask; with the Vector256 tiles when not <paramref name="wide"/> (their widths stop at 6).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Columns<T, TWidth>(bool wide, int m, int kc, T* a, int lda, T* b, nint bp, nint bj, T* c, int ldc, bool add)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TWidth : struct, IWidth
    {
        if (!wide)
        {
            Columns256<T, TWidth>(m, kc, a, lda, b, bp, bj, c, ldc, add);
            return;
        }

        int w = Vector512<T>.Count;
        int i = 0;
        for (; i + (2 * w) <= m; i += 2 * w)
        {
            TwoVectors<T, TWidth>(kc, a + i, lda, b, bp, bj, c + i, ldc, add);
        }

        for (; i < m; i += w)
        {
            OneVector<T, TWidth>(kc, a + i, lda, b, bp, bj, c + i, ldc, add, Math.Min(w, m - i));
        }
    }
}
