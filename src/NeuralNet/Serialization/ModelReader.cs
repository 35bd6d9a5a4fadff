using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace NeuralNet.Serialization;

/// <summary>
/// Reads the parts of a model file from a stream whose remaining length is known, hashing every byte.
/// Every read is checked against the bytes that remain before anything is allocated, so a corrupt
/// size fails with <see cref="InvalidDataException"/> instead of a huge allocation or a hang.
/// </summary>
internal sealed class ModelReader : IDisposable
{
    private readonly Stream _stream;
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private long _remaining;

    /// <param name="stream">The stream, positioned at the start of the model.</param>
    /// <param name="length">The bytes the model may occupy (to the end of the stream).</param>
    public ModelReader(Stream stream, long length)
    {
        _stream = stream;
        _remaining = length;
    }

    /// <summary>Bytes left for the payload, not counting the trailing checksum.</summary>
    public long RemainingBeforeChecksum => _remaining - ModelFileLayout.ChecksumBytes;

    public void ReadBytes(Span<byte> destination)
    {
        if (destination.Length > RemainingBeforeChecksum)
        {
            throw Truncated(destination.Length);
        }

        try
        {
            _stream.ReadExactly(destination);
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException("The model file ends early: it is truncated.", e);
        }

        _remaining -= destination.Length;
        _hash.AppendData(destination);
    }

    public uint ReadUInt32()
    {
        Span<byte> bytes = stackalloc byte[4];
        ReadBytes(bytes);
        return BinaryPrimitives.ReadUInt32LittleEndian(bytes);
    }

    /// <summary>Reads <paramref name="count"/> little-endian numbers, refusing before allocating when the file is too short.</summary>
    public T[] ReadArray<T>(long count)
        where T : struct
    {
        int size = Marshal.SizeOf<T>();
        if (count < 0 || count > RemainingBeforeChecksum / size)
        {
            throw Truncated(count * size);
        }

        var values = new T[count];
        Span<byte> bytes = MemoryMarshal.AsBytes(values.AsSpan());
        ReadBytes(bytes);
        if (!BitConverter.IsLittleEndian)
        {
            Endianness.Reverse(bytes, size);
        }

        return values;
    }

    /// <summary>Reads <paramref name="destination"/>'s length of little-endian numbers into it.</summary>
    public void ReadInto<T>(Span<T> destination)
        where T : struct
    {
        Span<byte> bytes = MemoryMarshal.AsBytes(destination);
        ReadBytes(bytes);
        if (!BitConverter.IsLittleEndian)
        {
            Endianness.Reverse(bytes, Marshal.SizeOf<T>());
        }
    }

    /// <summary>Reads the trailing SHA-256 and compares it with the hash of everything read; the file must end right after it.</summary>
    public void VerifyChecksum()
    {
        if (_remaining != ModelFileLayout.ChecksumBytes)
        {
            throw new InvalidDataException($"The model file has {_remaining - ModelFileLayout.ChecksumBytes} bytes more or less than its header describes (expected exactly the {ModelFileLayout.ChecksumBytes}-byte checksum after the payload).");
        }

        Span<byte> stored = stackalloc byte[ModelFileLayout.ChecksumBytes];
        try
        {
            _stream.ReadExactly(stored);
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException("The model file ends early: its checksum is missing.", e);
        }

        _remaining = 0;
        Span<byte> computed = stackalloc byte[ModelFileLayout.ChecksumBytes];
        _hash.GetHashAndReset(computed);
        if (!CryptographicOperations.FixedTimeEquals(stored, computed))
        {
            throw new InvalidDataException("The model file's SHA-256 checksum does not match its contents: the file is damaged or was changed after it was saved.");
        }
    }

    public void Dispose() => _hash.Dispose();

    private InvalidDataException Truncated(long wanted) =>
        new($"The model file is too short: {wanted} more bytes were expected but only {Math.Max(0, RemainingBeforeChecksum)} remain before the checksum.");
}
