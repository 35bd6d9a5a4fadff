using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace NeuralNet.Kernels;

/// <summary>
/// Arrays whose first element starts a cache line (64 bytes), for the buffers a training step streams through: weights,
/// gradients, optimizer state, undo copies, a layer's batch buffers. A managed array otherwise starts wherever the heap
/// put it (16 bytes past an 8-byte boundary, so 8, 16, … 56 bytes into a line): then every other 256-bit half of a 512-bit
/// load or store spans two lines, which made a momentum update over one core's half of W2's weights markedly slower
/// (benchmarks/README.md has the measurements). Nothing else changes: the values, and every result, are the same bits
/// wherever an array starts (the kernels' loops go by index, not by address).
/// </summary>
/// <remarks>
/// .NET has no aligned managed allocation, but its pinned object heap places objects in order where it has no gap to fill:
/// an array allocated right after another starts where that one ends. So a small array is allocated first to learn where
/// the next one will start, then a filler sized to move that start onto a line, then the array. Where freed arrays have
/// left gaps, small objects fill those instead, so the second way probes with an array of the very size (it goes where the
/// array would: the end of the heap, when no gap takes it) and pads with a filler at least as large (which no gap takes
/// either); both are garbage once the array follows them. The result is checked; one that is still not aligned (another
/// thread allocating at the same moment, the heap opening a new region) is kept as it is: alignment only ever changes
/// speed. Pinned arrays never move, so an array stays aligned. Arrays under <see cref="MinimumBytes"/> are ordinary ones:
/// a one-sample step's parameters, where a line more or less changes nothing.
/// </remarks>
internal static unsafe class AlignedArrays
{
    /// <summary>Arrays from this many bytes on are aligned; smaller ones are allocated as usual.</summary>
    public const int MinimumBytes = 4096;

    private const int Line = 64;

    // The recent probes and fillers, kept: freed, each would leave a gap of a few dozen bytes in the pinned heap, and the
    // next small probe would land in such a gap instead of where the next array goes. The last 256 (some 25 KB): a program
    // that builds network after network recycles the slots, and its older gaps are the second way's case.
    private static readonly object?[] Kept = new object?[256];
    private static int _kept;
    private static int _aligned, _misaligned;

    /// <summary>Arrays <see cref="Allocate{T}"/> has placed on a line so far, and those it could not (the benchmark runner prints both).</summary>
    public static (int Aligned, int Misaligned) Placed => (Volatile.Read(ref _aligned), Volatile.Read(ref _misaligned));

    /// <summary>A zeroed array of <paramref name="length"/> elements starting a cache line (see the class remarks).</summary>
    public static T[] Allocate<T>(int length)
        where T : struct
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        if ((long)length * Unsafe.SizeOf<T>() < MinimumBytes)
        {
            return new T[length];
        }

        T[] placed = Place<T>(length);
        Interlocked.Increment(ref IsAligned(placed) ? ref _aligned : ref _misaligned);
        return placed;
    }

    /// <summary><see cref="Allocate{T}"/> of an array of at least <see cref="MinimumBytes"/>: the two ways of the class remarks.</summary>
    private static T[] Place<T>(int length)
        where T : struct
    {

        // In order (a heap without gaps, as at a program's start): a small probe shows where the next object goes, and a
        // small filler moves that start onto a line.
        T[] array = [];
        for (int attempt = 0; attempt < 2; attempt++)
        {
            byte[] probe = GC.AllocateUninitializedArray<byte>(0, pinned: true);
            Keep(probe);
            Pad(Gap(Address(ref MemoryMarshal.GetArrayDataReference(probe))), 0);
            array = GC.AllocateArray<T>(length, pinned: true);
            if (IsAligned(array))
            {
                return array;
            }
        }

        // Where freed arrays have left gaps, small objects fill them, but an object as large as the array goes where the
        // array goes: at the end of the heap, if no gap takes it. So the probe is an array of this size, and the filler
        // at least as large; both go to the collector once the aligned array follows them.
        long bytes = (long)length * Unsafe.SizeOf<T>();
        if (bytes > int.MaxValue / 2)
        {
            return array; // a filler as large would not be an array of bytes
        }

        object?[] held = new object?[6]; // every try's probe and filler, alive until the array is placed: freed at once, they would be the next try's gaps
        for (int attempt = 0; attempt < 3; attempt++)
        {
            T[] whole = GC.AllocateArray<T>(length, pinned: true);
            if (IsAligned(whole))
            {
                return whole;
            }

            held[2 * attempt] = whole;
            held[(2 * attempt) + 1] = Pad(Gap(Address(ref MemoryMarshal.GetArrayDataReference(whole)) + (nint)((bytes + 7) & ~7L)), bytes);
            array = GC.AllocateArray<T>(length, pinned: true);
            if (IsAligned(array))
            {
                GC.KeepAlive(held);
                return array;
            }

            held[2 * attempt] = array; // the misaligned one is a probe too now; the earlier probe may go
        }

        GC.KeepAlive(held);
        return array; // not aligned: as fast as an ordinary array
    }

    /// <summary>Whether <paramref name="array"/>'s first element starts a cache line.</summary>
    public static bool IsAligned<T>(T[] array)
        where T : struct
        => (Address(ref MemoryMarshal.GetArrayDataReference(array)) & (Line - 1)) == 0; // pinned or not: the answer is for this moment

    // An array's object in memory: its header word, method table and length (24 bytes on a 64-bit runtime), then its
    // elements, in whole 8-byte words; the smallest object, an empty array, is 24 bytes.
    private static readonly int ArrayHeader = 3 * IntPtr.Size;

    private static int ObjectBytes(int dataBytes) => ArrayHeader + ((dataBytes + 7) & ~7);

    /// <summary>Bytes from <paramref name="next"/>, where an object would start, to put before it so that its elements start a line.</summary>
    private static int Gap(nint next) => (int)((Line - ((next + ArrayHeader) & (Line - 1))) & (Line - 1));

    /// <summary>
    /// A filler object of <paramref name="gap"/> bytes, plus whole lines to make it at least the smallest object (24 bytes)
    /// and larger than an array of <paramref name="atLeast"/> bytes; a small one is kept (see <see cref="Kept"/>). None for
    /// a gap of 0.
    /// </summary>
    private static byte[] Pad(int gap, long atLeast)
    {
        if (gap == 0)
        {
            return []; // the next object's elements start a line already
        }

        long least = Math.Max(ObjectBytes(0), atLeast + ArrayHeader + 8);
        long size = gap + ((Math.Max(0, least - gap) + Line - 1) / Line * Line); // gap + whole lines, at least least

        byte[] filler = GC.AllocateUninitializedArray<byte>((int)(size - ArrayHeader), pinned: true);
        if (atLeast == 0)
        {
            Keep(filler);
        }

        return filler;
    }

    private static void Keep(object filler)
    {
        lock (Kept)
        {
            Kept[_kept] = filler;
            _kept = (_kept + 1) % Kept.Length;
        }
    }

    private static nint Address<T>(ref T value) => (nint)Unsafe.AsPointer(ref value); // of a pinned array's element: it holds
}
