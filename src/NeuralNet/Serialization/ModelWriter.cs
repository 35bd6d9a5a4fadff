using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace NeuralNet.Serialization;

/// <summary>Writes the parts of a model file to a stream, hashing every byte for the trailing SHA-256.</summary>
internal sealed class ModelWriter : IDisposable
{
    private readonly Stream _stream;
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    public ModelWriter(Stream stream) => _stream = stream;

    public void WriteBytes(ReadOnlySpan<byte> bytes)
    {
        _stream.Write(bytes);
        _hash.AppendData(bytes);
    }

    public void WriteUInt32(uint value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, value);
        WriteBytes(bytes);
    }

    /// <summary>Writes <paramref name="values"/> as little-endian IEEE 754 numbers.</summary>
    public void WriteArray<T>(ReadOnlySpan<T> values)
        where T : struct
    {
        if (BitConverter.IsLittleEndian)
        {
            WriteBytes(MemoryMarshal.AsBytes(values));
            return;
        }

        byte[] swapped = MemoryMarshal.AsBytes(values).ToArray();
        Endianness.Reverse(swapped, Marshal.SizeOf<T>());
        WriteBytes(swapped);
    }

    /// <summary>Appends the SHA-256 of everything written so far.</summary>
    public void WriteChecksum()
    {
        byte[] checksum = _hash.GetHashAndReset();
        _stream.Write(checksum);
    }

    public void Dispose() => _hash.Dispose();
}
