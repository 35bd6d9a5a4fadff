using System.Buffers.Binary;
using System.IO.Compression;

namespace NeuralNet.Samples.Tests;

/// <summary>
/// Writes the first items of Fashion-MNIST's gzipped IDX files (images and labels) as a smaller set of
/// the same format, so a sample run on real images stays short.
/// </summary>
internal static class IdxSubset
{
    public static void Write(string sourceFolder, string targetFolder, string part, int count)
    {
        Copy(Path.Combine(sourceFolder, $"{part}-images-idx3-ubyte.gz"), Path.Combine(targetFolder, $"{part}-images-idx3-ubyte.gz"), headerInts: 4, itemBytes: 28 * 28, count);
        Copy(Path.Combine(sourceFolder, $"{part}-labels-idx1-ubyte.gz"), Path.Combine(targetFolder, $"{part}-labels-idx1-ubyte.gz"), headerInts: 2, itemBytes: 1, count);
    }

    private static void Copy(string source, string target, int headerInts, int itemBytes, int count)
    {
        using var input = new GZipStream(File.OpenRead(source), CompressionMode.Decompress);
        byte[] header = new byte[4 * headerInts];
        input.ReadExactly(header);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), count); // the item count follows the magic number
        byte[] items = new byte[count * itemBytes];
        input.ReadExactly(items);
        using var output = new GZipStream(File.Create(target), CompressionLevel.Fastest);
        output.Write(header);
        output.Write(items);
    }
}
