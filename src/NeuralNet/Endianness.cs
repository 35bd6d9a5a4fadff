using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace NeuralNet;

/// <summary>Byte-order swapping for the (rare) big-endian machine: the file is always little-endian.</summary>
internal static class Endianness
{
    /// <summary>Reverses the bytes of every <paramref name="elementSize"/>-byte element of <paramref name="bytes"/> in place.</summary>
    public static void Reverse(Span<byte> bytes, int elementSize)
    {
        if (elementSize == 4)
        {
            Span<uint> words = MemoryMarshal.Cast<byte, uint>(bytes);
            BinaryPrimitives.ReverseEndianness(words, words);
        }
        else
        {
            Span<ulong> words = MemoryMarshal.Cast<byte, ulong>(bytes);
            BinaryPrimitives.ReverseEndianness(words, words);
        }
    }
}
