using System.Buffers.Binary;
using System.IO.Compression;

namespace NeuralNet.Benchmarks.Workloads;

/// <summary>
/// Fashion-MNIST for W2, as float pixels / 255 (row-major, 784 per image) and labels: read from the
/// Debian package's gzipped IDX files (or <c>FASHION_MNIST_DIR</c>), or, when they are missing,
/// synthetic data of the same shape. A small reader of its own, until the library's Data/ has one.
/// </summary>
internal sealed class FashionData
{
    public const int Features = 784;
    public const string DefaultDirectory = "/usr/share/datasets/fashion-mnist";

    private FashionData(float[] trainImages, byte[] trainLabels, float[] testImages, byte[] testLabels, string source)
    {
        TrainImages = trainImages;
        TrainLabels = trainLabels;
        TestImages = testImages;
        TestLabels = testLabels;
        Source = source;
    }

    public float[] TrainImages { get; }

    public byte[] TrainLabels { get; }

    public float[] TestImages { get; }

    public byte[] TestLabels { get; }

    /// <summary>Where the data came from (a directory, or "synthetic").</summary>
    public string Source { get; }

    public bool IsSynthetic => Source == "synthetic";

    public static FashionData Load()
    {
        string directory = Environment.GetEnvironmentVariable("FASHION_MNIST_DIR") is { Length: > 0 } d ? d : DefaultDirectory;
        string Path(string name) => System.IO.Path.Combine(directory, name);
        string[] names = ["train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"];
        if (!names.All(n => File.Exists(Path(n))))
        {
            return Synthetic();
        }

        return new FashionData(
            Scale(ReadIdx(Path(names[0]), 3)), ReadIdx(Path(names[1]), 1),
            Scale(ReadIdx(Path(names[2]), 3)), ReadIdx(Path(names[3]), 1), directory);
    }

    /// <summary>Reads a gzipped IDX file of unsigned bytes with <paramref name="dimensions"/> dimensions; returns its data.</summary>
    private static byte[] ReadIdx(string path, int dimensions)
    {
        using var stream = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        Span<byte> header = stackalloc byte[4 + (4 * dimensions)];
        stream.ReadExactly(header);
        if (header[0] != 0 || header[1] != 0 || header[2] != 0x08 || header[3] != dimensions)
        {
            throw new InvalidDataException($"{path}: expected an IDX file of unsigned bytes with {dimensions} dimensions (received header {Convert.ToHexString(header[..4])}).");
        }

        long length = 1;
        for (int d = 0; d < dimensions; d++)
        {
            length *= BinaryPrimitives.ReadInt32BigEndian(header[(4 + (4 * d))..]);
        }

        var data = new byte[length];
        stream.ReadExactly(data);
        return data;
    }

    private static float[] Scale(byte[] pixels)
    {
        var x = new float[pixels.Length];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = pixels[i] / 255f; // x = pixel / 255
        }

        return x;
    }

    /// <summary>Random images whose class shifts the brightness of a class-specific band, so the net has something to learn.</summary>
    private static FashionData Synthetic()
    {
        static (float[] Images, byte[] Labels) Make(int count, uint seed)
        {
            var images = new float[count * Features];
            var labels = new byte[count];
            for (int n = 0; n < count; n++)
            {
                labels[n] = (byte)(DeterministicNumbers.Rnd(seed, (uint)n) % 10);
                for (int p = 0; p < Features; p++)
                {
                    double band = p / 78 == labels[n] ? 0.5 : 0;
                    images[(n * Features) + p] = (float)Math.Min(1, (0.5 * DeterministicNumbers.U(seed + 1, (uint)((n * Features) + p))) + band);
                }
            }

            return (images, labels);
        }

        (float[] trainImages, byte[] trainLabels) = Make(60_000, 11);
        (float[] testImages, byte[] testLabels) = Make(10_000, 13);
        return new FashionData(trainImages, trainLabels, testImages, testLabels, "synthetic");
    }
}
