using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace NeuralNet.Onnx;

/// <summary>
/// The few protocol-buffer encodings an ONNX model needs: varints, 32-bit floats and length-delimited
/// fields (strings, bytes, nested messages). Fields are appended in the order written.
/// </summary>
internal sealed class ProtobufWriter
{
    private const int Varint = 0, Fixed32 = 5, LengthDelimited = 2;
    private readonly ArrayBufferWriter<byte> _buffer = new();

    /// <summary>Bytes written so far.</summary>
    public long Length => _buffer.WrittenCount;

    /// <summary>An integer field (int32, int64 or enum): negative values take ten bytes, as the protobuf rules say.</summary>
    public ProtobufWriter Int64(int field, long value)
    {
        Tag(field, Varint);
        WriteVarint(unchecked((ulong)value));
        return this;
    }

    public ProtobufWriter Float(int field, float value)
    {
        Tag(field, Fixed32);
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteSingleLittleEndian(bytes, value);
        _buffer.Write(bytes);
        return this;
    }

    public ProtobufWriter String(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

    public ProtobufWriter Bytes(int field, ReadOnlySpan<byte> value)
    {
        Tag(field, LengthDelimited);
        WriteVarint((ulong)value.Length);
        _buffer.Write(value);
        return this;
    }

    /// <summary>A nested message field, built by <paramref name="build"/> on a fresh writer.</summary>
    public ProtobufWriter Message(int field, Action<ProtobufWriter> build)
    {
        var child = new ProtobufWriter();
        build(child);
        Tag(field, LengthDelimited);
        WriteVarint((ulong)child._buffer.WrittenCount);
        _buffer.Write(child._buffer.WrittenSpan);
        return this;
    }

    public void CopyTo(Stream stream) => stream.Write(_buffer.WrittenSpan);

    public byte[] ToArray() => _buffer.WrittenSpan.ToArray();

    private void Tag(int field, int wireType) => WriteVarint(((ulong)field << 3) | (uint)wireType);

    /// <summary>Seven bits per byte, low bits first, the high bit set on every byte but the last.</summary>
    private void WriteVarint(ulong value)
    {
        while (value >= 0x80)
        {
            WriteByte((byte)(value | 0x80));
            value >>= 7;
        }

        WriteByte((byte)value);
    }

    private void WriteByte(byte value)
    {
        _buffer.GetSpan(1)[0] = value;
        _buffer.Advance(1);
    }
}
