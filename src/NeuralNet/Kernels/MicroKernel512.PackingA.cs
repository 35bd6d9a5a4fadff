using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NeuralNet.Kernels;

// The Vector512 kernel packing Â on the way: a block's first panel of tiles reads op(A) where it is stored
// (GemmDriver.PacksAInKernel), with the same multiply-adds as the packed kernel (MicroKernel512.Multiply).
internal static unsafe partial class MicroKernel512
{
    /// <summary>
    /// <see cref="Run{T}(int, T*, T*, T*, int, T*, int, bool)"/> with op(A)'s panel read where it is stored, not packed:
    /// step p's 2 vectors from <c>aSource + p·lda</c> (an untransposed op(A): a column's rows lie together), each also
    /// stored to the packed panel at <paramref name="a"/>, so that the tiles after this one read Â as if it had been packed
    /// before (<see cref="GemmDriver.PacksAInKernel"/>). The same values feed the same multiply-adds in the same order: the
    /// same bits, without a pass of its own to pack Â. Each step of the source is a column of A on a page of its own, where
    /// the hardware's prefetcher finds no stream: the tile requests into L2 the next tile's rows of each step as it goes
    /// (unless it is the block's last, <paramref name="lastTile"/>), and the block's first tile (<paramref name="firstTile"/>),
    /// whose lines no tile requested, its own <see cref="SourceStepsAhead"/> steps ahead.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void RunPackingA<T>(
        int kc, T* aSource, int lda, T* a, T* b, T* source, int sourceStride, T* c, int ldc, bool add, bool firstTile, bool lastTile)
        where T : unmanaged
        => Multiply<T, SourcePanel>(
            kc, a, aSource, lda, b, source, sourceStride, c, ldc, add, firstTile ? SourceStepsAhead * (nint)lda : 0, lastTile ? 0 : 2 * Vector512<T>.Count);

    /// <summary>
    /// Steps ahead at which the first tile of a block packed on the way (<see cref="RunPackingA{T}"/>) requests its own
    /// lines of op(A): ~400 cycles of its multiply-adds on a core of two 512-bit pipes, about memory's latency.
    /// </summary>
    internal const int SourceStepsAhead = 32;
}
