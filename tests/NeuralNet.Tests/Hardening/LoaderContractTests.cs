using System.Security.Cryptography;
using FluentAssertions;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Optimizers;
using NeuralNet.Serialization;
using Xunit;

namespace NeuralNet.Tests.Hardening;

/// <summary>
/// A file whose checksum is valid but whose content is not (edited, or written by a faulty tool) raises
/// <see cref="InvalidDataException"/> naming what is wrong, and never an optimizer or network that could not
/// have come from training. One test per case the outside test found.
/// </summary>
public sealed class LoaderContractTests
{
    [Fact]
    public void Checkpoint_WithANegativeClipNorm_IsInvalidDataNamingTheSetting()
    {
        byte[] bytes = EditHeader(AdamCheckpoint<double>(clipNorm: 1), "\"clipNorm\": 1", "\"clipNorm\": -1");

        FluentActions.Invoking(() => NetworkSerializer.LoadCheckpoint<double>(new MemoryStream(bytes)))
            .Should().Throw<InvalidDataException>().WithMessage("*clipNorm*-1*");
        var mine = new AdamOptimizer<double>(0.01);
        FluentActions.Invoking(() => NetworkSerializer.Load(new MemoryStream(bytes), mine)).Should().Throw<InvalidDataException>();
        mine.ClipNorm.Should().BeNull("a refused file changes nothing of the caller's optimizer");
    }

    [Fact]
    public void Checkpoint_WithALearningRateBeyondFloat_IsInvalidData()
    {
        byte[] bytes = EditHeader(AdamCheckpoint<float>(), "\"learningRate\": 0.01", "\"learningRate\": 1e39");

        FluentActions.Invoking(() => NetworkSerializer.LoadCheckpoint<float>(new MemoryStream(bytes)))
            .Should().Throw<InvalidDataException>().WithMessage("*learningRate*Single*");
    }

    [Fact]
    public void Header_WithAPropertyNameThatIsALoneSurrogate_IsInvalidData()
    {
        byte[] bytes = EditHeader(AdamCheckpoint<double>(), "\"beta1\"", "\"\\ud800\"");

        FluentActions.Invoking(() => NetworkSerializer.LoadCheckpoint<double>(new MemoryStream(bytes))).Should().Throw<InvalidDataException>();
    }

    [Fact]
    public void AdamCheckpoint_WithANegativeSecondMoment_IsInvalidDataInsteadOfNaNWeightsAfterOneStep()
    {
        byte[] bytes = AdamCheckpoint<double>();

        // Payload: weights (6 values), biases (2), then per parameter m and v: v of the weights starts at value 6 + 2 + 6.
        int payload = 16 + BitConverter.ToInt32(bytes, 12);
        BitConverter.TryWriteBytes(bytes.AsSpan(payload + (8 * 14)), -1.0);
        Resign(bytes);

        FluentActions.Invoking(() => NetworkSerializer.LoadCheckpoint<double>(new MemoryStream(bytes)))
            .Should().Throw<InvalidDataException>().WithMessage("*state of parameter 0*state array 1*-1*never negative*");
        FluentActions.Invoking(() => NetworkSerializer.Load(new MemoryStream(bytes), new AdamOptimizer<double>(0.01)))
            .Should().Throw<InvalidDataException>();
        NetworkSerializer.Load<double>(new MemoryStream(bytes)).Should().NotBeNull("the network alone does not need the optimizer state");
    }

    [Fact]
    public void RmsPropCheckpoint_WithANegativeSquareAverage_IsInvalidData()
    {
        var network = new Network<double>(1, new DenseLayer<double>(3, 2, new Tanh<double>()));
        var rms = new RmsPropOptimizer<double>(0.01);
        network.TrainStep(Matrix<double>.Build.Dense(2, 3, 0.5), Matrix<double>.Build.Dense(2, 2, 0.1), new MeanSquaredError<double>(), rms);
        byte[] bytes = Tests.Serialization.SampleNetworks.ToBytes(network, rms);
        int payload = 16 + BitConverter.ToInt32(bytes, 12);
        BitConverter.TryWriteBytes(bytes.AsSpan(payload + (8 * 8)), -1e-9); // v of the weights follows the 6 weights and 2 biases
        Resign(bytes);

        FluentActions.Invoking(() => NetworkSerializer.LoadCheckpoint<double>(new MemoryStream(bytes))).Should().Throw<InvalidDataException>().WithMessage("*never negative*");
    }

    [Fact]
    public void Checkpoint_WhoseParameterTookMoreStepsThanTheOptimizer_IsInvalidData()
    {
        byte[] bytes = EditHeader(AdamCheckpoint<double>(), "\"steps\": 2", "\"steps\": 3");

        FluentActions.Invoking(() => NetworkSerializer.LoadCheckpoint<double>(new MemoryStream(bytes)))
            .Should().Throw<InvalidDataException>().WithMessage("*3 steps*optimizer's 2*");
    }

    [Fact]
    public void FloatModel_WithAnEluAlphaBeyondFloat_IsInvalidData()
    {
        var network = new Network<float>(1, new DenseLayer<float>(2, 2, new ELU<float>(0.5)));
        byte[] bytes = EditHeader(Tests.Serialization.SampleNetworks.ToBytes(network), "\"alpha\": 0.5", "\"alpha\": 1e39");

        FluentActions.Invoking(() => NetworkSerializer.Load<float>(new MemoryStream(bytes))).Should().Throw<InvalidDataException>().WithMessage("*alpha*");
    }

    private static byte[] AdamCheckpoint<T>(double? clipNorm = null)
        where T : struct, System.Numerics.IFloatingPointIeee754<T>
    {
        var network = new Network<T>(1, new DenseLayer<T>(3, 2, new Tanh<T>()));
        var adam = new AdamOptimizer<T>(0.01) { ClipNorm = clipNorm };
        for (int i = 0; i < 2; i++)
        {
            network.TrainStep(Matrix<T>.Build.Dense(2, 3, T.CreateChecked(0.5)), Matrix<T>.Build.Dense(2, 2, T.CreateChecked(0.1)), new MeanSquaredError<T>(), adam);
        }

        return Tests.Serialization.SampleNetworks.ToBytes(network, adam);
    }

    /// <summary>The file with a text of its header replaced, its header length and checksum fixed.</summary>
    private static byte[] EditHeader(byte[] original, string find, string replace)
    {
        int headerLength = BitConverter.ToInt32(original, 12);
        string header = System.Text.Encoding.UTF8.GetString(original, 16, headerLength);
        header.Should().Contain(find);
        byte[] newHeader = System.Text.Encoding.UTF8.GetBytes(header.Replace(find, replace, StringComparison.Ordinal));
        byte[] bytes = [.. original.AsSpan(0, 12), .. BitConverter.GetBytes(newHeader.Length), .. newHeader, .. original.AsSpan(16 + headerLength)];
        Resign(bytes);
        return bytes;
    }

    private static void Resign(byte[] bytes) => SHA256.HashData(bytes.AsSpan(0, bytes.Length - 32), bytes.AsSpan(bytes.Length - 32));
}
