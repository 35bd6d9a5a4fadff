using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace NeuralNet.Kernels;

/// <summary>
/// Each thread's packing buffers for the GEMM: pinned arrays made at once for the largest block the
/// driver packs (so that whichever share of a product a thread ends up doing, nothing is allocated after
/// its first multiply), and reused.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
internal static unsafe class PackingBuffers<T>
    where T : unmanaged
{
    [ThreadStatic]
    private static T[]? t_a;

    [ThreadStatic]
    private static T[]? t_b;

    [ThreadStatic]
    private static T[]? t_tile;

    [ThreadStatic]
    private static T[]? t_c;

    /// <summary>This thread's buffer for packed A, at least <paramref name="length"/> elements.</summary>
    public static T* A(int length) => Pointer(ref t_a, Math.Max(length, GemmDriver.RowsPerBlock<T>() * GemmDriver.BlockDepth));

    /// <summary>This thread's buffer for packed B, at least <paramref name="length"/> elements.</summary>
    public static T* B(int length) => Pointer(ref t_b, Math.Max(length, GemmDriver.BlockDepth * GemmDriver.RoundUp(GemmDriver.BlockColumns, GemmKernels.WidestTile)));

    /// <summary>This thread's buffer for a packed copy of C (<see cref="GemmDriver.PackedCElements"/>, made at once on first use), at least <paramref name="length"/> elements.</summary>
    public static T* C(int length) => Pointer(ref t_c, Math.Max(length, GemmDriver.PackedCElements));

    /// <summary>This thread's scratch tile for the edges of C, at least <paramref name="length"/> elements.</summary>
    public static T* Tile(int length) => Pointer(ref t_tile, Math.Max(length, 512));

    private static T* Pointer(ref T[]? buffer, int length)
    {
        if (buffer is null || buffer.Length < length)
        {
            // 64 elements of slack keep whole-vector reads past a panel's end inside the array; 64 bytes more
            // leave room to start on a cache line.
            buffer = GC.AllocateUninitializedArray<T>(length + 64 + (64 / sizeof(T)), pinned: true);
        }

        // Aligned to a cache line, so that no 64-byte vector load of a panel straddles two lines.
        nint start = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(buffer));
        return (T*)((start + 63) & ~(nint)63);
    }
}
