using System.Security.Cryptography;
using FluentAssertions;
using NeuralNet.Optimizers;
using NeuralNet.Serialization;
using Xunit;

namespace NeuralNet.Tests.Serialization;

/// <summary>
/// Feeds thousands of damaged model files to the loader: every one must end in
/// <see cref="InvalidDataException"/> (or, when the damage was re-signed with a valid checksum and left a
/// consistent model, load), never any other exception, a hang or a huge allocation.
/// </summary>
public sealed class ModelFileFuzzTests
{
    /// <summary>Cases per fuzz test: 3000 by default (a few seconds); set NEURALNET_FUZZ_CASES for a longer hunt.</summary>
    private static readonly int Cases = int.TryParse(Environment.GetEnvironmentVariable("NEURALNET_FUZZ_CASES"), out int cases) && cases > 0 ? cases : 3000;

    private static readonly byte[] Original = CreateOriginal();

    [Fact]
    public void Load_OfTruncatedFiles_AlwaysThrowsInvalidData()
    {
        for (int length = 0; length < Original.Length; length++)
        {
            ExpectInvalidData(Original.AsSpan(0, length).ToArray(), $"truncated to {length} bytes");
        }
    }

    [Fact]
    public void Load_OfRandomlyMutatedFiles_AlwaysThrowsInvalidData()
    {
        var random = new RandomSource(2026);
        for (int i = 0; i < Cases; i++)
        {
            byte[] bytes = Mutate(random, out string how);
            ExpectInvalidData(bytes, how);
        }
    }

    [Fact]
    public void Load_OfMutatedFilesWithRecomputedChecksum_LoadsOrThrowsInvalidData()
    {
        var random = new RandomSource(77);
        int rejected = 0;
        for (int i = 0; i < Cases; i++)
        {
            byte[] bytes = Mutate(random, out string how);
            if (bytes.Length > 32)
            {
                SHA256.HashData(bytes.AsSpan(0, bytes.Length - 32), bytes.AsSpan(bytes.Length - 32));
            }

            try
            {
                Network<double> network = NetworkSerializer.LoadCheckpoint<double>(new MemoryStream(bytes)).Network;
                network.Predict(SampleNetworks.Batch<double>(2, network.InputSize, 1)); // a loaded model must be usable
            }
            catch (InvalidDataException)
            {
                rejected++;
            }
            catch (Exception e)
            {
                throw new InvalidOperationException($"case {i} ({how}) ended in {e.GetType().Name}: {e.Message}", e);
            }
        }

        rejected.Should().BeGreaterThan(Cases / 4, "most damage to the header or sizes must be caught");
    }

    [Fact]
    public void Load_OfHeaderClaimingHugeLayers_ThrowsInvalidDataWithoutAllocating()
    {
        byte[] bytes = Recompose("\"outputs\": 8", "\"outputs\": 2000000000");

        long before = GC.GetAllocatedBytesForCurrentThread();
        Action load = () => NetworkSerializer.Load<double>(new MemoryStream(bytes));

        load.Should().Throw<InvalidDataException>();
        (GC.GetAllocatedBytesForCurrentThread() - before).Should().BeLessThan(10_000_000);
    }

    [Fact]
    public void Load_OfUnknownLayerOrActivationName_ThrowsInvalidDataNamingIt()
    {
        Action unknownLayer = () => NetworkSerializer.Load<double>(new MemoryStream(Recompose("\"kind\": \"dense\"", "\"kind\": \"System.IO.File\"")));
        Action unknownActivation = () => NetworkSerializer.Load<double>(new MemoryStream(Recompose("\"name\": \"tanh\"", "\"name\": \"swish2\"")));

        unknownLayer.Should().Throw<InvalidDataException>().WithMessage("*System.IO.File*");
        unknownActivation.Should().Throw<InvalidDataException>().WithMessage("*swish2*");
    }

    [Fact]
    public void Load_OfHeaderWithUnknownExtraFields_IgnoresThemAsFORMATmdPromises()
    {
        byte[] bytes = Recompose("\"elementType\"", "\"addedByALaterVersion\": { \"x\": [1, 2] },\n  \"elementType\"");

        Network<double> loaded = NetworkSerializer.Load<double>(new MemoryStream(bytes));

        loaded.ParameterCount.Should().Be(NetworkSerializer.Load<double>(new MemoryStream(Original)).ParameterCount);
    }

    private static byte[] CreateOriginal()
    {
        var network = new Network<double>(3,
            new NeuralNet.Layers.DenseLayer<double>(4, 8, new NeuralNet.Activations.Tanh<double>()),
            new NeuralNet.Layers.DropoutLayer<double>(8, 0.5),
            new NeuralNet.Layers.DenseLayer<double>(8, 2, new NeuralNet.Activations.ELU<double>(0.5)));
        var optimizer = new SgdOptimizer<double>(0.1, momentum: 0.9);
        network.TrainStep(SampleNetworks.Batch<double>(4, 4, 1), SampleNetworks.Batch<double>(4, 2, 2), new NeuralNet.Losses.MeanSquaredError<double>(), optimizer);
        return SampleNetworks.ToBytes(network, optimizer);
    }

    /// <summary>The original file with a text replaced in its header, its header length and checksum fixed.</summary>
    private static byte[] Recompose(string find, string replace)
    {
        int headerLength = BitConverter.ToInt32(Original, 12);
        string header = System.Text.Encoding.UTF8.GetString(Original, 16, headerLength);
        header.Should().Contain(find);
        byte[] newHeader = System.Text.Encoding.UTF8.GetBytes(header.Replace(find, replace, StringComparison.Ordinal));
        byte[] bytes = [.. Original.AsSpan(0, 12), .. BitConverter.GetBytes(newHeader.Length), .. newHeader, .. Original.AsSpan(16 + headerLength)];
        SHA256.HashData(bytes.AsSpan(0, bytes.Length - 32), bytes.AsSpan(bytes.Length - 32));
        return bytes;
    }

    private static byte[] Mutate(RandomSource random, out string how)
    {
        byte[] bytes = (byte[])Original.Clone();
        int headerEnd = 16 + BitConverter.ToInt32(Original, 12);
        switch (random.NextInt(5))
        {
            case 0: // flip a few bits anywhere
                int flips = 1 + random.NextInt(8);
                for (int f = 0; f < flips; f++)
                {
                    bytes[random.NextInt(bytes.Length)] ^= (byte)(1 << random.NextInt(8));
                }

                how = $"{flips} bit flips";
                return bytes;
            case 1: // overwrite a byte of the preamble or header with any value
                int at = random.NextInt(headerEnd);
                byte value = (byte)random.NextInt(256);
                bytes[at] = value == bytes[at] ? (byte)~value : value;
                how = $"byte {at} set";
                return bytes;
            case 2: // cut a random range out
                int start = random.NextInt(bytes.Length), count = 1 + random.NextInt(Math.Min(64, bytes.Length - start));
                how = $"{count} bytes removed at {start}";
                return [.. bytes.AsSpan(0, start), .. bytes.AsSpan(start + count)];
            case 3: // insert random bytes
                int insertAt = random.NextInt(bytes.Length);
                byte[] extra = new byte[1 + random.NextInt(16)];
                for (int e = 0; e < extra.Length; e++)
                {
                    extra[e] = (byte)random.NextInt(256);
                }

                how = $"{extra.Length} bytes inserted at {insertAt}";
                return [.. bytes.AsSpan(0, insertAt), .. extra, .. bytes.AsSpan(insertAt)];
            default: // a digit of the header changed: sizes, counts, rates, steps
                int[] digits = Enumerable.Range(16, headerEnd - 16).Where(i => bytes[i] is >= (byte)'0' and <= (byte)'9').ToArray();
                int d = digits[random.NextInt(digits.Length)];
                bytes[d] = (byte)('0' + ((bytes[d] - '0' + 1 + random.NextInt(9)) % 10));
                how = $"header digit {d} changed";
                return bytes;
        }
    }

    private static void ExpectInvalidData(byte[] bytes, string how)
    {
        try
        {
            NetworkSerializer.Load<double>(new MemoryStream(bytes));
        }
        catch (InvalidDataException)
        {
            return;
        }
        catch (Exception e)
        {
            throw new InvalidOperationException($"{how}: ended in {e.GetType().Name}: {e.Message}", e);
        }

        throw new InvalidOperationException($"{how}: the damaged file loaded without an error.");
    }
}
