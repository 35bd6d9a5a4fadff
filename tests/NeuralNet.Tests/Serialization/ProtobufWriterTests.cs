using FluentAssertions;
using NeuralNet.Onnx;
using NeuralNet.Serialization;
using Xunit;

namespace NeuralNet.Tests.Serialization;

/// <summary>The protobuf encodings held against the examples of the protocol-buffers encoding guide.</summary>
public sealed class ProtobufWriterTests
{
    [Fact]
    public void Int64_WritesTagAndVarint()
    {
        // Field 1, varint 150: 08 96 01.
        new ProtobufWriter().Int64(1, 150).ToArray().Should().Equal(0x08, 0x96, 0x01);
    }

    [Fact]
    public void Int64_Negative_TakesTenBytes()
    {
        byte[] bytes = new ProtobufWriter().Int64(3, -1).ToArray();

        bytes.Should().Equal(0x18, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01);
    }

    [Fact]
    public void String_WritesLengthDelimitedUtf8()
    {
        // Field 2, "testing": 12 07 74 65 73 74 69 6e 67.
        new ProtobufWriter().String(2, "testing").ToArray().Should().Equal(0x12, 0x07, 0x74, 0x65, 0x73, 0x74, 0x69, 0x6E, 0x67);
    }

    [Fact]
    public void Message_WritesTheChildAsLengthDelimitedBytes()
    {
        // Field 3 holding a message whose field 1 is 150: 1a 03 08 96 01.
        new ProtobufWriter().Message(3, child => child.Int64(1, 150)).ToArray().Should().Equal(0x1A, 0x03, 0x08, 0x96, 0x01);
    }

    [Fact]
    public void Float_WritesFixed32LittleEndian()
    {
        new ProtobufWriter().Float(2, 1.0f).ToArray().Should().Equal(0x15, 0x00, 0x00, 0x80, 0x3F);
    }

    [Fact]
    public void Tag_OfALargeFieldNumber_IsAMultiByteVarint()
    {
        // Field 20 (AttributeProto.type), varint 2: tag (20 << 3) | 0 = 160 = a0 01.
        new ProtobufWriter().Int64(20, 2).ToArray().Should().Equal(0xA0, 0x01, 0x02);
    }
}
