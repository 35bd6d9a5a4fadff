using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using FluentAssertions;
using NeuralNet.Data;
using Xunit;

namespace NeuralNet.Tests.Hardening;

/// <summary>
/// The CSV and IDX readers keep their contract for any content: a dataset of finite values of the element
/// type, or <see cref="InvalidDataException"/> naming the source and where (line and column, dimension).
/// </summary>
public sealed class DataReaderTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("reader-hardening").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Csv_NumberBeyondFloat_IsAnErrorNamingLineAndColumn()
    {
        const string csv = "a,b,label\n1,2,0\n3,1e39,1\n";

        FluentActions.Invoking(() => CsvDataset.Read<float>(new StringReader(csv), "label", "data.csv"))
            .Should().Throw<InvalidDataException>().WithMessage("data.csv, line 3, column 2 ('b'): 1e39 is beyond the range of Single*");
        FluentActions.Invoking(() => CsvDataset.Read<float>(new StringReader("a,label\n-4e38,0\n"), "label"))
            .Should().Throw<InvalidDataException>().WithMessage("*line 2, column 1*");
        CsvDataset.Read<double>(new StringReader(csv), "label").Features[1, 1].Should().Be(1e39, "1e39 is a finite double");
        CsvDataset.Read<float>(new StringReader("a,label\n3.4e38,0\n"), "label").Features[0, 0].Should().Be(3.4e38f);
    }

    [Fact]
    public void Idx_ScaleThatOverflowsTheElementType_IsRefused()
    {
        string path = Path.Combine(_directory, "labels.idx");
        File.WriteAllBytes(path, [0, 0, 8, 1, 0, 0, 0, 2, 255, 1]);

        FluentActions.Invoking(() => IdxFile.ReadMatrix<float>(path, scale: 1e37)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("scale");
        FluentActions.Invoking(() => IdxFile.ReadMatrix<float>(path, scale: 1e-50)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("scale");
        IdxFile.ReadMatrix<double>(path, scale: 1e37)[0, 0].Should().Be(255e37);
    }

    [Fact]
    public void Csv_FuzzedText_GivesFiniteDataOrInvalidData()
    {
        const string original = "sepal,petal,width,label\n5.1,3.5,1.4,0\n4.9,3.0,1.4,1\n6.2,2.9,4.3,2\n-1e-3,+2E2,0.5,1\n";
        string alphabet = "0123456789.,-+eE \t\n\r\"'xNaInfinity∞\u00a0;" + '\0';
        var random = new RandomSource(2027);
        for (int i = 0; i < 3000; i++)
        {
            var text = new StringBuilder(original);
            int edits = 1 + random.NextInt(4);
            for (int e = 0; e < edits && text.Length > 0; e++)
            {
                int at = random.NextInt(text.Length);
                switch (random.NextInt(4))
                {
                    case 0: text[at] = alphabet[random.NextInt(alphabet.Length)]; break;
                    case 1: text.Insert(at, alphabet[random.NextInt(alphabet.Length)]); break;
                    case 2: text.Remove(at, 1); break;
                    default: text.Insert(at, random.NextInt(2) == 0 ? "1e39" : "99999999999999999999999999999999999999999"); break;
                }
            }

            Check(i, text.ToString(), s => CsvDataset.Read<float>(new StringReader(s), "label"));
            Check(i, text.ToString(), s => CsvDataset.Read<double>(new StringReader(s), -1));
        }
    }

    private static void Check<T>(int i, string text, Func<string, Dataset<T>> load)
        where T : struct, System.Numerics.IFloatingPointIeee754<T>
    {
        try
        {
            Dataset<T> data = load(text);
            data.Features.Enumerate().Concat(data.Targets.Enumerate()).All(T.IsFinite).Should().BeTrue($"case {i} must give finite values: {text}");
        }
        catch (InvalidDataException)
        {
        }
        catch (ArgumentException e) when (e.ParamName == "targetColumn")
        {
            // the header lost its 'label' column: the caller's argument no longer fits the file
        }
        catch (Exception e)
        {
            throw new InvalidOperationException($"case {i} ended in {e.GetType().Name}: {e.Message}\n{text}", e);
        }
    }

    [Fact]
    public void Idx_FuzzedFiles_GiveAMatrixOrInvalidData()
    {
        byte[] images = Idx([0, 0, 8, 3, 0, 0, 0, 3, 0, 0, 0, 2, 0, 0, 0, 2], [.. Enumerable.Range(0, 12).Select(v => (byte)(v * 20))]);
        var random = new RandomSource(2028);
        string path = Path.Combine(_directory, "fuzz.idx");
        for (int i = 0; i < 1500; i++)
        {
            bool gzip = i % 2 == 1;
            byte[] bytes = gzip ? Gzip(images) : (byte[])images.Clone();
            string how;
            switch (random.NextInt(4))
            {
                case 0:
                    int at = random.NextInt(bytes.Length);
                    bytes[at] ^= (byte)(1 << random.NextInt(8));
                    how = $"bit flip at {at}";
                    break;
                case 1:
                    int header = random.NextInt(Math.Min(16, bytes.Length));
                    bytes[header] = (byte)random.NextInt(256);
                    how = $"byte {header} set";
                    break;
                case 2:
                    int keep = random.NextInt(bytes.Length);
                    bytes = bytes[..keep];
                    how = $"truncated to {keep}";
                    break;
                default:
                    byte[] extra = new byte[1 + random.NextInt(8)];
                    bytes = [.. bytes, .. extra];
                    how = $"{extra.Length} bytes appended";
                    break;
            }

            File.WriteAllBytes(path, bytes);
            try
            {
                var m = IdxFile.ReadMatrix<float>(path, 1.0 / 255);
                m.Enumerate().Should().OnlyContain(v => float.IsFinite(v));
            }
            catch (InvalidDataException)
            {
            }
            catch (Exception e)
            {
                throw new InvalidOperationException($"case {i} ({(gzip ? "gzip, " : string.Empty)}{how}) ended in {e.GetType().Name}: {e.Message}", e);
            }
        }
    }

    private static byte[] Idx(byte[] header, byte[] data) => [.. header, .. data];

    private static byte[] Gzip(byte[] bytes)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest))
        {
            gzip.Write(bytes);
        }

        return buffer.ToArray();
    }
}
