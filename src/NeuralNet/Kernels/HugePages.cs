using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace NeuralNet.Kernels;

/// <summary>
/// Asks Linux to back a large array with 2 MB pages (transparent huge pages) instead of 4 KB ones: a training step
/// streams through its weights, gradients, undo copies and batch buffers, megabytes each, and with 4 KB pages every
/// 4 KB of that costs a walk of the page tables once the translation cache is full (on a virtual machine a walk of two
/// sets of tables). Many systems give such arrays large pages anyway (transparent huge pages set to <c>always</c>); where
/// they are set to <c>madvise</c>, a program gets them only for memory it marks, which this does. Nothing else changes:
/// the array keeps its address and contents, so every result is the same bits.
/// </summary>
/// <remarks>
/// The 2 MB blocks that the array overlaps are marked (<c>MADV_HUGEPAGE</c>), so the array's first and last megabytes
/// are covered too and so is whatever else of the managed heap shares those blocks, and the pages already there are
/// collapsed into large pages at once (<c>MADV_COLLAPSE</c>, Linux 6.1 on). Each is a request: a kernel that refuses
/// (transparent huge pages off, no large page free, an older kernel) leaves the pages as they were, and off Linux this
/// does nothing. Arrays of the large-object heap are not moved by the garbage collector unless a program asks it to
/// compact that heap, when an array only loses the large pages. It allocates nothing.
/// </remarks>
internal static unsafe partial class HugePages
{
    /// <summary>Arrays from this many bytes on are marked (a large layer's weights, a large batch's buffers).</summary>
    public const long MinimumBytes = 1L << 20;

    private const int BlockBytes = 1 << 21;
    private const int AdviseHugePage = 14; // MADV_HUGEPAGE
    private const int AdviseCollapse = 25; // MADV_COLLAPSE

    private static bool _unavailable = !OperatingSystem.IsLinux(); // no madvise, or it could not be called
    private static int _marked;

    /// <summary>Whether arrays are marked; false leaves them as allocated (for an old-against-new measurement).</summary>
    internal static bool Enabled { get; set; } = true;

    /// <summary>Arrays marked so far (the benchmark runner shows it).</summary>
    internal static int Marked => Volatile.Read(ref _marked);

    /// <summary>Marks <paramref name="array"/> for 2 MB pages when it is at least <see cref="MinimumBytes"/> (see the class remarks).</summary>
    /// <returns>The array, for use in an initialiser.</returns>
    public static T[] Advise<T>(T[] array)
        where T : struct
    {
        if (Enabled && !_unavailable && (long)array.Length * Unsafe.SizeOf<T>() >= MinimumBytes)
        {
            Mark(MemoryMarshal.AsBytes(array.AsSpan()));
        }

        return array;
    }

    /// <summary>Marks the 2 MB blocks that <paramref name="bytes"/> overlaps, and collapses the pages in them.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Mark(Span<byte> bytes)
    {
        fixed (byte* start = bytes)
        {
            nint first = (nint)start & ~(nint)(BlockBytes - 1);
            nint end = ((nint)(start + bytes.Length) + BlockBytes - 1) & ~(nint)(BlockBytes - 1);
            try
            {
                if (Advise(first, (nuint)(end - first), AdviseHugePage) == 0)
                {
                    _ = Advise(first, (nuint)(end - first), AdviseCollapse); // refused (an older kernel, no large page free): the pages come as they are touched anew
                    Interlocked.Increment(ref _marked);
                }
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
            {
                _unavailable = true; // no C library to ask: the arrays stay as they are
            }
        }
    }

    [LibraryImport("libc", EntryPoint = "madvise")]
    private static partial int Advise(nint address, nuint length, int advice);
}
