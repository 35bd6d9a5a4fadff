using System.Security.Cryptography;
using System.Text.Json.Nodes;
using FluentAssertions;
using NeuralNet.Activations;
using NeuralNet.Layers;
using NeuralNet.Serialization;
using Xunit;

namespace NeuralNet.Tests.Serialization;

/// <summary>
/// A forged file whose layer settings claim far larger sizes than its declared (small, length-consistent) shapes is
/// refused with <see cref="InvalidDataException"/> before any layer is built, so nothing of the claimed size is allocated.
/// </summary>
public sealed class ForgedShapeTests
{
    private static byte[] Original() => SampleNetworks.ToBytes(new Network<double>(2,
        new DenseLayer<double>(4, 8, new Tanh<double>()),
        new BatchNormalization<double>(8),
        new ResidualBlock<double>(new DenseLayer<double>(8, 8, new ReLU<double>()), new LayerNormalization<double>(8)),
        new DenseLayer<double>(8, 2)));

    [Theory]
    [InlineData(0, "outputs", "20000000")]
    [InlineData(1, "size", "100000000")]
    [InlineData(2, "inputs", "100000000")]
    public void Load_OfSettingsLargerThanTheDeclaredShapes_ThrowsInvalidDataWithoutAllocatingThem(int layer, string field, string value)
    {
        byte[] bytes = Forge(Original(), header => header["layers"]![layer]![field] = JsonNode.Parse(value));

        long before = GC.GetAllocatedBytesForCurrentThread();
        Action load = () => NetworkSerializer.Load<double>(new MemoryStream(bytes));

        load.Should().Throw<InvalidDataException>().WithMessage("*declares*settings make*");
        (GC.GetAllocatedBytesForCurrentThread() - before).Should().BeLessThan(10_000_000);
    }

    [Theory]
    [InlineData(0, "outputs", "50000000")]
    [InlineData(1, "size", "200000000")]
    public void Load_OfALayerInsideABlockClaimingLargerSizes_ThrowsInvalidDataWithoutAllocatingThem(int inner, string field, string value)
    {
        byte[] bytes = Forge(Original(), header => header["layers"]![2]!["layers"]![inner]![field] = JsonNode.Parse(value));

        long before = GC.GetAllocatedBytesForCurrentThread();
        Action load = () => NetworkSerializer.Load<double>(new MemoryStream(bytes));

        load.Should().Throw<InvalidDataException>();
        (GC.GetAllocatedBytesForCurrentThread() - before).Should().BeLessThan(10_000_000);
    }

    [Fact]
    public void Load_OfSwappedSettingsThatKeepTheValueCount_ThrowsInvalidDataNamingTheShapes()
    {
        // 4 × 8 weights declared; settings of 8 × 4 hold as many values but another shape.
        byte[] bytes = Forge(Original(), header =>
        {
            header["layers"]![0]!["inputs"] = 8;
            header["layers"]![0]!["outputs"] = 4;
        });

        Action load = () => NetworkSerializer.Load<double>(new MemoryStream(bytes));

        load.Should().Throw<InvalidDataException>().WithMessage("*8×4*4×8*");
    }

    [Fact]
    public void Load_OfANegativeRunningVariance_ThrowsInvalidDataNamingIt()
    {
        var norm = new BatchNormalization<double>(3);
        var network = new Network<double>(1, new ResidualBlock<double>(new DenseLayer<double>(3, 3), norm));
        norm.State[1].Values[2] = -0.5; // no training gives this: a variance is never negative

        Action load = () => NetworkSerializer.Load<double>(new MemoryStream(SampleNetworks.ToBytes(network)));

        load.Should().Throw<InvalidDataException>().WithMessage("*running variance holds -0.5 at index 2*");
    }

    /// <summary>The file with its header edited, re-signed (the payload unchanged, so its length still matches the declared shapes).</summary>
    internal static byte[] Forge(byte[] file, Action<JsonNode> edit)
    {
        int headerLength = BitConverter.ToInt32(file, 12);
        JsonNode header = JsonNode.Parse(file.AsSpan(16, headerLength))!;
        edit(header);
        byte[] headerBytes = System.Text.Encoding.UTF8.GetBytes(header.ToJsonString());
        byte[] payload = file.AsSpan(16 + headerLength, file.Length - 32 - 16 - headerLength).ToArray();
        byte[] bytes = [.. file.AsSpan(0, 12), .. BitConverter.GetBytes(headerBytes.Length), .. headerBytes, .. payload, .. new byte[32]];
        SHA256.HashData(bytes.AsSpan(0, bytes.Length - 32), bytes.AsSpan(bytes.Length - 32));
        return bytes;
    }
}
