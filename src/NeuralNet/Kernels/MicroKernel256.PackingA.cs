using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NeuralNet.Kernels;

// The Vector256 kernel packing Â on the way, as the Vector512 kernel does (MicroKernel512.RunPackingA): a block's first
// panel of tiles reads op(A) where it is stored (GemmDriver.PacksAInKernel), with the multiply-adds of the packed kernel.
internal static unsafe partial class MicroKernel256
{
    /// <summary>
    /// <see cref="Run{T}"/> with op(A)'s panel read where it is stored, not packed: step p's 2 vectors from
    /// <c>aSource + p·lda</c>, each also stored to the packed panel at <paramref name="a"/>, so that the tiles after this one
    /// read Â as if it had been packed before. The same values feed the same multiply-adds in the same order: the same bits.
    /// The tile requests into L2 the next tile's rows of each step as it goes (unless it is the block's last,
    /// <paramref name="lastTile"/>), and the block's first tile (<paramref name="firstTile"/>) its own
    /// <see cref="SourceStepsAhead"/> steps ahead, as <see cref="MicroKernel512.RunPackingA{T}"/> does.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void RunPackingA<T>(int kc, T* aSource, int lda, T* a, T* b, T* c, int ldc, bool add, bool firstTile, bool lastTile)
        where T : unmanaged
        => Multiply<T, SourcePanel>(
            kc, a, aSource, lda, b, c, ldc, add, firstTile ? SourceStepsAhead * (nint)lda : 0, lastTile ? 0 : 2 * Vector256<T>.Count);

    /// <summary>
    /// Steps ahead at which the first tile of a block packed on the way requests its own lines of op(A): about the time of
    /// <see cref="MicroKernel512.SourceStepsAhead"/> steps of the Vector512 kernel, whose step is twice this one's work.
    /// </summary>
    internal const int SourceStepsAhead = 2 * MicroKernel512.SourceStepsAhead;
}
