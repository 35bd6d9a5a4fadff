using System.IO.Compression;
using FluentAssertions;
using NeuralNet.Data;
using Xunit;

namespace NeuralNet.Tests.Data;

public sealed class IdxFileTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("idx-tests").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ReadMatrix_Images_GivesOneRowPerImageInRowMajorPixelOrder(bool gzip)
    {
        // 2 images of 2×3 pixels, header sizes big-endian.
        byte[] file = Idx([0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 3], [0, 1, 2, 3, 4, 5, 10, 11, 12, 13, 14, 255]);
        string path = Write("images", file, gzip);
        var m = IdxFile.ReadMatrix<double>(path, scale: 1.0 / 255);
        m.RowCount.Should().Be(2);
        m.ColumnCount.Should().Be(6);
        m[0, 5].Should().Be(5 / 255.0);
        m[1, 0].Should().Be(10 / 255.0);
        m[1, 5].Should().Be(1.0);
        IdxFile.Read(path).Dimensions.Should().Equal(2, 2, 3);
    }

    [Fact]
    public void ReadMatrix_Labels_GivesAColumn()
    {
        string path = Write("labels", Idx([0, 0, 8, 1, 0, 0, 0, 3], [9, 0, 4]), gzip: true);
        IdxFile.ReadMatrix<float>(path).Column(0).ToArray().Should().Equal(9f, 0f, 4f);
    }

    [Fact]
    public void Read_HeaderDeclaringMoreThanTheFileHolds_ThrowsBeforeAllocating()
    {
        // 2 000 000 000 images of 28×28 would need 1.5 TB; the file has 4 data bytes.
        byte[] header = [0, 0, 8, 3, 0x77, 0x35, 0x94, 0x00, 0, 0, 0, 28, 0, 0, 0, 28];
        Action raw = () => IdxFile.Read(Write("huge", Idx(header, [1, 2, 3, 4]), gzip: false));
        raw.Should().Throw<InvalidDataException>().Which.Message.Should().Contain("elements");
        Action small = () => IdxFile.Read(Write("short", Idx([0, 0, 8, 1, 0, 0, 0, 5], [1, 2, 3]), gzip: false));
        small.Should().Throw<InvalidDataException>().Which.Message.Should().Contain("received 11 bytes");
        Action gz = () => IdxFile.Read(Write("short-gz", Idx([0, 0, 8, 1, 0, 0, 0, 5], [1, 2, 3]), gzip: true));
        gz.Should().Throw<InvalidDataException>().Which.Message.Should().Contain("gzip trailer");
    }

    [Theory]
    [InlineData(new byte[] { 0, 0, 0x0D, 1, 0, 0, 0, 1, 0 }, "magic")]
    [InlineData(new byte[] { 1, 2, 8, 1, 0, 0, 0, 1, 0 }, "magic")]
    [InlineData(new byte[] { 0, 0, 8, 1, 0, 0 }, "header")]
    [InlineData(new byte[] { 0, 0, 8, 1, 0xFF, 0xFF, 0xFF, 0xFF }, "negative")]
    public void Read_MalformedHeader_ThrowsInvalidDataException(byte[] file, string expected)
    {
        Action read = () => IdxFile.Read(Write("bad", file, gzip: false));
        read.Should().Throw<InvalidDataException>().Which.Message.Should().Contain(expected);
    }

    private static byte[] Idx(byte[] header, byte[] data) => [.. header, .. data];

    private string Write(string name, byte[] content, bool gzip)
    {
        string path = Path.Combine(_directory, name + (gzip ? ".gz" : string.Empty));
        if (gzip)
        {
            using var stream = new GZipStream(File.Create(path), CompressionLevel.Optimal);
            stream.Write(content);
        }
        else
        {
            File.WriteAllBytes(path, content);
        }

        return path;
    }
}
