using System.IO.Compression;
using FluentAssertions;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Data;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Optimizers;
using NeuralNet.Training;
using Xunit;

namespace NeuralNet.Tests.Training;

/// <summary>IDX images and labels read in chunks (<see cref="BatchSources.FromIdx{T}(string, string, double, int)"/>): the same rows as the whole-file reader, the same model as in memory, the reader's checks.</summary>
public sealed class IdxBatchSourceTests : IDisposable
{
    private const int Images = 23, Height = 2, Width = 3;
    private readonly string _directory = Directory.CreateTempSubdirectory("idx-source-tests").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void FromIdx_ChunksOfAtMostChunkRows_HoldTheRowsOfTheWholeFileReader(bool gzip)
    {
        (string images, string labels) = WriteSet(gzip);
        BatchSource<double> source = BatchSources.FromIdx<double>(images, labels, scale: 1.0 / 255, chunkRows: 5);
        Matrix<double> expectedX = IdxFile.ReadMatrix<double>(images, 1.0 / 255), expectedY = IdxFile.ReadMatrix<double>(labels);

        source.InputColumns.Should().Be(Height * Width);
        source.TargetColumns.Should().Be(1);
        for (int pass = 0; pass < 2; pass++)
        {
            var rowsX = new List<double[]>();
            var rowsY = new List<double[]>();
            var sizes = new List<int>();
            foreach (Dataset<double> chunk in source.ReadChunks())
            {
                sizes.Add(chunk.Count);
                rowsX.AddRange(chunk.Features.ToRowArrays()); // copied: the source may reuse a chunk
                rowsY.AddRange(chunk.Targets.ToRowArrays());
            }

            sizes.Should().Equal(5, 5, 5, 5, 3);
            Matrix<double>.Build.DenseOfRowArrays(rowsX).Should().Be(expectedX);
            Matrix<double>.Build.DenseOfRowArrays(rowsY).Should().Be(expectedY);
        }
    }

    [Fact]
    public void StreamedFromIdx_WithoutShuffling_GivesTheSameModelAsInMemory()
    {
        (string images, string labels) = WriteSet(gzip: true);
        var options = new TrainingOptions { Epochs = 3, BatchSize = 4, Shuffle = false };
        Network<float> inMemory = Net(), streamed = Net();
        TrainingHistory expected = new Trainer<float>(inMemory, new CategoricalCrossEntropy<float>(), new AdamOptimizer<float>(0.01), options)
            .Fit(IdxFile.ReadMatrix<float>(images, 1.0 / 255), IdxFile.ReadMatrix<float>(labels));

        TrainingHistory actual = new Trainer<float>(streamed, new CategoricalCrossEntropy<float>(), new AdamOptimizer<float>(0.01), options)
            .Fit(BatchSources.FromIdx<float>(images, labels, scale: 1.0 / 255, chunkRows: 7));

        actual.Epochs.Select(e => e.TrainingLoss).Should().Equal(expected.Epochs.Select(e => e.TrainingLoss));
        for (int i = 0; i < inMemory.Parameters.Count; i++)
        {
            streamed.Parameters[i].Values.ToArray().Should().Equal(inMemory.Parameters[i].Values.ToArray());
        }
    }

    [Fact]
    public void FromIdx_LabelsNotOnePerImage_ThrowsNamingTheLabelsFile()
    {
        (string images, _) = WriteSet(gzip: false);
        string fewer = Write("fewer-labels", Header(Images - 1), Labels(Images - 1), gzip: false);
        string images2d = Write("not-labels", Header(Images, Height, Width), Pixels(), gzip: false);

        Action count = () => BatchSources.FromIdx<double>(images, fewer);
        count.Should().Throw<InvalidDataException>().WithMessage($"{fewer}*one label per image*{Images}*received {Images - 1}*");
        Action shape = () => BatchSources.FromIdx<double>(images, images2d);
        shape.Should().Throw<InvalidDataException>().WithMessage($"{images2d}*one dimension*received {Images} × {Height} × {Width}*");
    }

    [Fact]
    public void FromIdx_DamagedFiles_ThrowTheReadersErrorNamingTheFile()
    {
        (string images, string labels) = WriteSet(gzip: false);
        string shortImages = Write("short-images", Header(Images, Height, Width), Pixels()[..^1], gzip: false);
        string badMagic = Write("bad-magic", [0, 0, 0x0D, 1, 0, 0, 0, 1], [0], gzip: false);
        string empty = Write("empty", Header(0, Height, Width), [], gzip: false);

        Action truncated = () => BatchSources.FromIdx<double>(shortImages, labels);
        truncated.Should().Throw<InvalidDataException>().WithMessage($"{shortImages}*received {4 + 12 + (Images * Height * Width) - 1} bytes*");
        Action magic = () => BatchSources.FromIdx<double>(images, badMagic);
        magic.Should().Throw<InvalidDataException>().WithMessage($"{badMagic}*magic*");
        Action none = () => BatchSources.FromIdx<double>(empty, labels);
        none.Should().Throw<InvalidDataException>().WithMessage($"{empty}*no images*");
        Action scale = () => BatchSources.FromIdx<float>(images, labels, scale: 1e37);
        scale.Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("scale");
    }

    [Fact]
    public void FromIdx_FileDamagedBetweenPasses_ThrowsWhileReading()
    {
        (string images, string labels) = WriteSet(gzip: false);
        BatchSource<double> source = BatchSources.FromIdx<double>(images, labels, chunkRows: 5);
        File.WriteAllBytes(labels, [.. Header(Images - 2), .. Labels(Images - 2)]);

        Action read = () => _ = source.ReadChunks().Count();
        read.Should().Throw<InvalidDataException>().WithMessage($"{labels}*one label per image*");
    }

    private static Network<float> Net() => new(3, new DenseLayer<float>(Height * Width, 5, new Tanh<float>()), new DenseLayer<float>(5, 3, new Softmax<float>()));

    private (string Images, string Labels) WriteSet(bool gzip)
        => (Write("images", Header(Images, Height, Width), Pixels(), gzip), Write("labels", Header(Images), Labels(Images), gzip));

    private static byte[] Pixels() => Enumerable.Range(0, Images * Height * Width).Select(i => (byte)((i * 37) % 256)).ToArray();

    private static byte[] Labels(int count) => Enumerable.Range(0, count).Select(i => (byte)(i % 3)).ToArray();

    private static byte[] Header(params int[] sizes)
        => [0, 0, 8, (byte)sizes.Length, .. sizes.SelectMany(s => new[] { (byte)(s >> 24), (byte)(s >> 16), (byte)(s >> 8), (byte)s })];

    private string Write(string name, byte[] header, byte[] data, bool gzip)
    {
        string path = Path.Combine(_directory, name + (gzip ? ".idx.gz" : ".idx"));
        byte[] content = [.. header, .. data];
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
