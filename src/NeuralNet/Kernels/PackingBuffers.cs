using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace NeuralNet.Kernels;

/// <summary>
/// Each thread's packing buffers for the GEMM: pinned arrays that grow to the largest block the thread
/// has needed and are then reused, so a multiply allocates nothing once a thread has seen its shapes.
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

    /// <summary>This thread's buffer for packed A, at least <paramref name="length"/> elements.</summary>
    public static T* A(int length) => Pointer(ref t_a, length);

    /// <summary>This thread's buffer for packed B, at least <paramref name="length"/> elements.</summary>
    public static T* B(int length) => Pointer(ref t_b, length);

    /// <summary>This thread's scratch tile for the edges of C, at least <paramref name="length"/> elements.</summary>
    public static T* Tile(int length) => Pointer(ref t_tile, length);

    private static T* Pointer(ref T[]? buffer, int length)
    {
        if (buffer is null || buffer.Length < length)
        {
            // 64 elements of slack keep whole-vector reads past a panel's end inside the array.
            buffer = GC.AllocateUninitializedArray<T>(length + 64, pinned: true);
        }

        return (T*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(buffer));
    }
}
