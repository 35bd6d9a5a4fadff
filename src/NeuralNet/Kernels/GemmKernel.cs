using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NeuralNet.Kernels;

/// <summary>The register-tiled micro-kernels of the packed GEMM, by vector width.</summary>
internal enum GemmKernel
{
    /// <summary>Picked at start-up: the widest kernel the processor accelerates.</summary>
    Auto = 0,

    /// <summary>Vector128 (Arm64 AdvSimd: 2 vectors × 12 columns; SSE: 2 vectors × 4): runs everywhere.</summary>
    Vector128 = 128,

    /// <summary>Vector256 with FMA (AVX2), 2 vectors × 6 columns.</summary>
    Vector256 = 256,

    /// <summary>Vector512 (AVX-512), 2 vectors × 12 columns.</summary>
    Vector512 = 512,
}

/// <summary>The tile shape of each micro-kernel and the one this processor runs.</summary>
internal static class GemmKernels
{
    /// <summary>The fastest kernel this processor accelerates, decided once.</summary>
    public static readonly GemmKernel Best =
        Vector512.IsHardwareAccelerated ? GemmKernel.Vector512
        : Vector256.IsHardwareAccelerated && Fma.IsSupported ? GemmKernel.Vector256
        : GemmKernel.Vector128;

    /// <summary>Rows of C per micro-tile (two vectors).</summary>
    public static int RowsPerTile<T>(GemmKernel kernel)
        where T : unmanaged
        => kernel switch
        {
            GemmKernel.Vector512 => 2 * Vector512<T>.Count,
            GemmKernel.Vector256 => 2 * Vector256<T>.Count,
            _ => 2 * Vector128<T>.Count,
        };

    /// <summary>
    /// The most columns any kernel's tile has (the Vector512 tile's, and the Vector128 tile's on Arm64): the packing
    /// buffers, made once for any kernel, hold panels of B̂ this wide.
    /// </summary>
    public const int WidestTile = MicroKernel512.Columns;

    /// <summary>Columns of C per micro-tile.</summary>
    public static int ColumnsPerTile(GemmKernel kernel)
        => kernel switch
        {
            GemmKernel.Vector512 => MicroKernel512.Columns,
            GemmKernel.Vector256 => MicroKernel256.Columns,
            _ => MicroKernel128.Columns,
        };

    /// <summary>The resolved kernel (<see cref="GemmKernel.Auto"/> becomes <see cref="Best"/>).</summary>
    public static GemmKernel Resolve(GemmKernel kernel) => kernel == GemmKernel.Auto ? Best : kernel;
}
