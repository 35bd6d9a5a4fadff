using System.Buffers.Binary;
using System.IO.Compression;
using System.Numerics;
using MathNet.Numerics.LinearAlgebra;

namespace NeuralNet.Data;

/// <summary>
/// Reads the IDX format of MNIST and Fashion-MNIST, gzip-compressed or not: a big-endian header
/// (magic <c>0x0000TTDD</c>, T the element type, D the number of dimensions, then D sizes as int32)
/// followed by the elements in row-major order. Only unsigned bytes (<c>TT = 0x08</c>) are read.
/// </summary>
/// <remarks>The declared sizes are checked against the length of the file before anything is allocated.</remarks>
public static class IdxFile
{
    private const int UnsignedByte = 0x08;
    private const double MaxDeflateRatio = 1032; // deflate cannot compress better than about 1032:1

    /// <summary>
    /// Reads an IDX file as a matrix with one row per item: images of <c>n × 28 × 28</c> become
    /// <c>n × 784</c> (pixels row-major), a label file of <c>n</c> bytes becomes <c>n × 1</c>.
    /// </summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="path">The file (<c>.gz</c> or not; detected from its first bytes).</param>
    /// <param name="scale">Each byte is multiplied by this, e.g. 1/255 for pixels in [0, 1]; default 1.</param>
    public static Matrix<T> ReadMatrix<T>(string path, double scale = 1)
        where T : struct, IFloatingPointIeee754<T>
    {
        T s = Scale<T>(scale, nameof(scale));

        (int[] dimensions, byte[] data) = Read(path);
        int rows = dimensions[0];
        if (data.Length == 0)
        {
            throw new InvalidDataException($"{path}: the file holds no items ({string.Join(" × ", dimensions)}).");
        }

        int columns = data.Length / rows;
        var values = new T[data.Length];
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < columns; c++)
            {
                values[r + c * rows] = T.CreateChecked(data[r * columns + c]) * s; // row-major bytes → column-major matrix
            }
        }

        return Matrix<T>.Build.Dense(rows, columns, values);
    }

    /// <summary>The byte scale in the element type: a byte times it must stay finite (255 × 1e37 overflows float) and it must not round to 0.</summary>
    internal static T Scale<T>(double scale, string parameterName)
        where T : struct, IFloatingPointIeee754<T>
    {
        T s = T.CreateChecked(scale);
        if (!double.IsFinite(scale) || T.IsZero(s) || !T.IsFinite(T.CreateChecked(byte.MaxValue) * s))
        {
            throw new ArgumentOutOfRangeException(parameterName, scale, $"scale must be a non-zero number such that 255 × scale is finite in {typeof(T).Name} (received {scale}).");
        }

        return s;
    }

    /// <summary>Reads an IDX file of unsigned bytes: its dimensions and its elements (row-major).</summary>
    /// <param name="path">The file (<c>.gz</c> or not).</param>
    public static (int[] Dimensions, byte[] Data) Read(string path)
    {
        using IdxStream idx = Open(path);
        var data = new byte[idx.Elements];
        idx.ReadExactly(data);
        return (idx.Dimensions, data);
    }

    /// <summary>
    /// Opens an IDX file and checks its header (magic, sizes against the file's length or the gzip
    /// trailer) without reading its elements: the stream is left at the first element, for reading in chunks.
    /// </summary>
    internal static IdxStream Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        long fileLength = new FileInfo(path).Length;
        bool gzip;
        uint gzipSize = 0;
        using (FileStream probe = File.OpenRead(path))
        {
            Span<byte> magic = stackalloc byte[2];
            gzip = probe.ReadAtLeast(magic, 2, throwOnEndOfStream: false) == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
            if (gzip && fileLength >= 18)
            {
                Span<byte> trailer = stackalloc byte[4];
                probe.Seek(-4, SeekOrigin.End);
                probe.ReadExactly(trailer);
                gzipSize = BinaryPrimitives.ReadUInt32LittleEndian(trailer); // ISIZE: the decompressed length mod 2³²
            }
        }

        Stream file = File.OpenRead(path);
        Stream stream = gzip ? new GZipStream(file, CompressionMode.Decompress) : file;
        try
        {
            int[] dimensions = ReadDimensions(stream, path);
            long elements = dimensions.Aggregate(1L, (product, size) => product * size);
            long expected = 4 + (4L * dimensions.Length) + elements;
            if (!gzip && fileLength != expected)
            {
                throw new InvalidDataException($"{path}: the header declares {string.Join(" × ", dimensions)} elements, a file of {expected} bytes (received {fileLength} bytes).");
            }

            if (gzip && ((uint)expected != gzipSize || expected > fileLength * MaxDeflateRatio))
            {
                throw new InvalidDataException($"{path}: the header declares {string.Join(" × ", dimensions)} elements, {expected} bytes decompressed, but the gzip trailer gives {gzipSize} bytes.");
            }

            return new IdxStream(path, stream, dimensions, elements);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    private static int[] ReadDimensions(Stream stream, string path)
    {
        Span<byte> head = stackalloc byte[4];
        ReadHeader(stream, head, path, "magic number");
        if (head[0] != 0 || head[1] != 0 || head[2] != UnsignedByte || head[3] is 0 or > 4)
        {
            throw new InvalidDataException($"{path}: expected the IDX magic 0x000008DD of unsigned bytes with 1-4 dimensions DD (received 0x{head[0]:X2}{head[1]:X2}{head[2]:X2}{head[3]:X2}).");
        }

        var dimensions = new int[head[3]];
        long elements = 1;
        for (int d = 0; d < dimensions.Length; d++)
        {
            ReadHeader(stream, head, path, $"size of dimension {d}");
            dimensions[d] = BinaryPrimitives.ReadInt32BigEndian(head);
            if (dimensions[d] < 0)
            {
                throw new InvalidDataException($"{path}: dimension {d} has a negative size (received {dimensions[d]}).");
            }

            elements *= dimensions[d];
            if (elements > Array.MaxLength)
            {
                throw new InvalidDataException($"{path}: the header declares more than {Array.MaxLength} elements.");
            }
        }

        return dimensions;
    }

    private static void ReadHeader(Stream stream, Span<byte> buffer, string path, string what)
    {
        if (stream.ReadAtLeast(buffer, 4, throwOnEndOfStream: false) != 4)
        {
            throw new InvalidDataException($"{path}: the file ends inside the IDX header (reading the {what}).");
        }
    }

    /// <summary>An open IDX file positioned after its checked header; its elements are read in order, in pieces of any size.</summary>
    internal sealed class IdxStream(string path, Stream stream, int[] dimensions, long elements) : IDisposable
    {
        private long _read;

        public int[] Dimensions { get; } = dimensions;

        public long Elements { get; } = elements;

        /// <summary>The bytes of one item (one image: the product of the sizes after the first; 1 for labels).</summary>
        public int ItemBytes { get; } = dimensions.Length == 1 ? 1 : (int)dimensions.Skip(1).Aggregate(1L, (product, size) => product * size);

        /// <summary>Fills <paramref name="buffer"/> with the next elements; a file that ends early is an <see cref="InvalidDataException"/> naming it.</summary>
        public void ReadExactly(Span<byte> buffer)
        {
            int got = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
            _read += got;
            if (got != buffer.Length)
            {
                throw new InvalidDataException($"{path}: expected {Elements} data bytes after the header (received {_read}).");
            }
        }

        public void Dispose() => stream.Dispose();
    }
}
