using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace NeuralNet.Kernels;

// How a micro-kernel's tile reads its panel of Â: the mode type parameter of MicroKernel512's and MicroKernel256's multiply,
// so that each form is compiled on its own and the packed one reads Â at constant offsets.

/// <summary>Â's panel packed before the tile: its vectors of a step follow the last step's.</summary>
internal struct PackedPanel;

/// <summary>
/// Â's panel read from op(A) as stored (an untransposed op(A): a step's rows of the tile lie together in a column of A) and
/// stored to the packed panel on the way, for the tiles after it (<see cref="GemmDriver.PacksAInKernel"/>).
/// </summary>
internal unsafe struct SourcePanel
{
    /// <summary>
    /// Requests into L2 the lines of two steps of a tile's op(A) as stored: the <paramref name="values"/> of a step at
    /// <paramref name="step"/> and at <paramref name="step"/> + <paramref name="stride"/> (2 vectors: 64 or 128 bytes, on up to
    /// two or three lines). Each step lies on a page of its own, where the hardware's prefetcher finds no stream. x86 only
    /// (the caller checks).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void RequestSteps<T>(T* step, nint stride, int values)
        where T : unmanaged
    {
        int last = (values * sizeof(T)) - 1;
        RequestStep((byte*)step, last);
        RequestStep((byte*)(step + stride), last);
    }

    /// <summary>Requests the line of <paramref name="line"/>, the next one when the step reaches past it, and the line of its last byte.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void RequestStep(byte* line, int last)
    {
        Sse.Prefetch1(line);
        if (last >= 64)
        {
            Sse.Prefetch1(line + 64);
        }

        Sse.Prefetch1(line + last);
    }
}
