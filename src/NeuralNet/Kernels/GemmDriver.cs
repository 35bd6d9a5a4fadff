using System.Numerics;
using System.Runtime.CompilerServices;

namespace NeuralNet.Kernels;

/// <summary>
/// The blocked GEMM on one thread (the loop order of Goto and van de Geijn): for each block of
/// <see cref="BlockColumns"/> columns of C and <see cref="BlockDepth"/> steps of k, pack op(B) once
/// (it stays in the L3/L2 cache); for each block of <see cref="BlockRows"/> rows pack op(A) (it stays
/// in L2); then walk the micro-tiles, each B̂ panel staying in L1 while the Â panels stream past it.
/// </summary>
internal static unsafe class GemmDriver
{
    /// <summary>k steps per packed block (kc): a B̂ panel of kc × 8 floats is 8 KB, well inside L1.</summary>
    public const int BlockDepth = 256;

    /// <summary>Rows of C per packed A block (mc): 256 × 256 doubles is 512 KB, inside Zen 5's 1 MB L2.</summary>
    public const int BlockRows = 256;

    /// <summary>Columns of C per packed B block (nc, rounded down to whole tiles).</summary>
    public const int BlockColumns = 2048;

    /// <summary>Column-major <c>C (+)= op(A)·op(B)</c> (m × n, depth k ≥ 1) with the given micro-kernel.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run<T>(
        GemmKernel kernel, bool transposeA, bool transposeB, int m, int n, int k,
        T* a, int lda, T* b, int ldb, T* c, int ldc, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int mr = GemmKernels.RowsPerTile<T>(kernel);
        int nr = GemmKernels.ColumnsPerTile(kernel);
        int blockColumns = BlockColumns / nr * nr;

        // Blocks of k (and of m) of equal size rather than full ones and a thin remainder: 784 is 4 × 196,
        // not 3 × 256 + 16, whose last block would pay the tile's load and store of C for little work.
        int blockDepth = Balanced(k, BlockDepth, 1);
        int blockRows = Balanced(m, BlockRows, mr);
        int kcMax = blockDepth;
        int mcMax = Math.Min(blockRows, RoundUp(m, mr));
        int ncMax = Math.Min(blockColumns, RoundUp(n, nr));
        T* packedA = PackingBuffers<T>.A(mcMax * kcMax);
        T* packedB = PackingBuffers<T>.B(kcMax * ncMax);
        T* tile = PackingBuffers<T>.Tile(mr * nr);

        for (int jc = 0; jc < n; jc += blockColumns)
        {
            int nc = Math.Min(blockColumns, n - jc);
            for (int pc = 0; pc < k; pc += blockDepth)
            {
                int kc = Math.Min(blockDepth, k - pc);
                T* bBlock = transposeB ? b + jc + ((nint)pc * ldb) : b + pc + ((nint)jc * ldb);
                GemmPacking.PackB(transposeB, bBlock, ldb, kc, nc, nr, packedB);
                bool add = accumulate || pc > 0;
                for (int ic = 0; ic < m; ic += blockRows)
                {
                    int mc = Math.Min(blockRows, m - ic);
                    T* aBlock = transposeA ? a + pc + ((nint)ic * lda) : a + ic + ((nint)pc * lda);
                    GemmPacking.PackA(transposeA, aBlock, lda, mc, kc, mr, packedA);
                    T* cBlock = c + ic + ((nint)jc * ldc);
                    MultiplyBlock(kernel, mc, nc, kc, mr, nr, packedA, packedB, cBlock, ldc, add, tile);
                }
            }
        }
    }

    /// <summary>Multiplies a packed Â block (mc × kc) by a packed B̂ block (kc × nc) into C, tile by tile, each B̂ micro-panel staying in L1 while the Â panels stream past it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void MultiplyBlock<T>(
        GemmKernel kernel, int mc, int nc, int kc, int mr, int nr,
        T* packedA, T* packedB, T* c, int ldc, bool add, T* tile)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int jr = 0; jr < nc; jr += nr)
        {
            int columns = Math.Min(nr, nc - jr);
            T* bPanel = packedB + (jr * kc);
            for (int ir = 0; ir < mc; ir += mr)
            {
                int rows = Math.Min(mr, mc - ir);
                T* aPanel = packedA + (ir * kc);
                T* cTile = c + ir + ((nint)jr * ldc);
                if (rows == mr && columns == nr)
                {
                    Tile(kernel, kc, aPanel, bPanel, cTile, ldc, add);
                    continue;
                }

                // An edge tile: the kernel writes a whole tile to scratch, and only its valid part reaches C.
                Tile(kernel, kc, aPanel, bPanel, tile, mr, add: false);
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

    private static void Tile<T>(GemmKernel kernel, int kc, T* a, T* b, T* c, int ldc, bool add)
        where T : unmanaged
    {
        switch (kernel)
        {
            case GemmKernel.Vector512:
                MicroKernel512.Run(kc, a, b, c, ldc, add);
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
