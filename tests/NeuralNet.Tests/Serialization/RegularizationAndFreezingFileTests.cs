using System.Text.Json.Nodes;
using FluentAssertions;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Optimizers;
using NeuralNet.Serialization;
using NeuralNet.Training;
using Xunit;

namespace NeuralNet.Tests.Serialization;

/// <summary>Per-layer regularisation and frozen parameters in model files and checkpoints (format version 2), and the loader's checks of both.</summary>
public sealed class RegularizationAndFreezingFileTests
{
    /// <summary>Regularised and frozen layers at the top level and inside a residual block.</summary>
    private static Network<double> Build(ulong seed = 6)
    {
        var inner = new DenseLayer<double>(5, 5, new Tanh<double>()) { Regularization = new Regularization(l1: 0.002) };
        var block = new ResidualBlock<double>(inner, new BatchNormalization<double>(5)) { Regularization = new Regularization(l2: 0.01, biases: true) };
        var network = new Network<double>(seed,
            new DenseLayer<double>(3, 5, new ReLU<double>()) { Regularization = new Regularization(l1: 1e-3, l2: 1e-2) },
            block,
            new DenseLayer<double>(5, 2));
        network.Layers[0].Frozen = true;
        block.Layers[1].Parameters[1].Frozen = true; // the batch norm's shift inside the block
        return network;
    }

    private static (Matrix<double> X, Matrix<double> T) Data(ulong seed) => (SampleNetworks.Batch<double>(6, 3, seed), SampleNetworks.Batch<double>(6, 2, seed + 50));

    [Fact]
    public void SaveAndLoad_KeepsEveryLayersRegularizationAndFrozenParameters()
    {
        Network<double> network = Build();

        Network<double> loaded = NetworkSerializer.Load<double>(new MemoryStream(SampleNetworks.ToBytes(network)));

        loaded.Parameters.Select(p => p.Frozen).Should().Equal(network.Parameters.Select(p => p.Frozen));
        loaded.ParameterCount.Should().Be(network.ParameterCount);
        loaded.Layers[0].Regularization.Should().Be(new Regularization(l1: 1e-3, l2: 1e-2));
        loaded.Layers[1].Regularization.Should().Be(new Regularization(l2: 0.01, biases: true));
        loaded.Layers[1].Sublayers[0].Regularization.Should().Be(new Regularization(l1: 0.002));
        loaded.Layers[1].Sublayers[1].Regularization.Should().BeNull();
        loaded.Layers[2].Regularization.Should().BeNull();
        loaded.RegularizationPenalty().Should().Be(network.RegularizationPenalty());
        string header = Header(SampleNetworks.ToBytes(network));
        header.Should().Contain("\"frozen\": true").And.Contain("\"regularization\"");
    }

    [Fact]
    public void Checkpoint_ResumedWithTrainStep_EndsBitForBitLikeTrainingStraightThrough()
    {
        var loss = new MeanSquaredError<double>();
        Network<double> straight = Build();
        var straightOptimizer = new AdamOptimizer<double>(0.01);
        for (int i = 0; i < 6; i++)
        {
            (Matrix<double> x, Matrix<double> t) = Data((ulong)i);
            straight.TrainStep(x, t, loss, straightOptimizer);
        }

        Network<double> first = Build();
        var firstOptimizer = new AdamOptimizer<double>(0.01);
        for (int i = 0; i < 3; i++)
        {
            (Matrix<double> x, Matrix<double> t) = Data((ulong)i);
            first.TrainStep(x, t, loss, firstOptimizer);
        }

        using var stream = new MemoryStream();
        NetworkSerializer.Save(first, stream, firstOptimizer);
        stream.Position = 0;
        TrainingCheckpoint<double> resumed = NetworkSerializer.LoadCheckpoint<double>(stream);
        for (int i = 3; i < 6; i++)
        {
            (Matrix<double> x, Matrix<double> t) = Data((ulong)i);
            resumed.Network.TrainStep(x, t, loss, resumed.Optimizer);
        }

        resumed.Network.WeightsAndState.Zip(straight.WeightsAndState).Should().AllSatisfy(p => p.First.Values.ToArray().Should().Equal(p.Second.Values.ToArray()));
        resumed.Network.Parameters.Where(p => p.Frozen).Should().AllSatisfy(p => resumed.Optimizer.StateOf(p).Should().BeNull());
    }

    [Fact]
    public void Checkpoint_ResumedWithFit_EndsBitForBitLikeOneLongerFit()
    {
        (Matrix<double> x, Matrix<double> t) = (SampleNetworks.Batch<double>(20, 3, 1), SampleNetworks.Batch<double>(20, 2, 2));
        TrainingOptions Options(int epochs) => new() { Epochs = epochs, BatchSize = 6, ValidationSplit = 0.2, Random = new RandomSource(9) };
        var loss = new MeanSquaredError<double>();
        Network<double> straight = Build();
        new Trainer<double>(straight, loss, new SgdOptimizer<double>(0.05, momentum: 0.9), Options(6)).Fit(x, t);

        Network<double> first = Build();
        var optimizer = new SgdOptimizer<double>(0.05, momentum: 0.9);
        var firstTrainer = new Trainer<double>(first, loss, optimizer, Options(3));
        firstTrainer.Fit(x, t);
        string path = Path.Combine(Path.GetTempPath(), $"neuralnet-frozen-{Guid.NewGuid():N}.nnet");
        try
        {
            NetworkSerializer.Save(first, path, optimizer, firstTrainer.State!);
            TrainingCheckpoint<double> checkpoint = NetworkSerializer.LoadCheckpoint<double>(path);
            new Trainer<double>(checkpoint.Network, loss, checkpoint.Optimizer, Options(3)) { State = checkpoint.State }.Fit(x, t); // epochs 4-6

            checkpoint.Network.WeightsAndState.Zip(straight.WeightsAndState).Should().AllSatisfy(p => p.First.Values.ToArray().Should().Equal(p.Second.Values.ToArray()));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("{ \"l1\": -0.1, \"l2\": 0, \"biases\": false }", "l1")]
    [InlineData("{ \"l1\": 0, \"l2\": 1e999, \"biases\": false }", "l2")]
    [InlineData("{ \"l1\": 0, \"l2\": 0.1, \"biases\": 1 }", "biases")]
    [InlineData("{ \"l1\": 0, \"biases\": true }", "l2")]
    [InlineData("[0.1, 0.2]", "regularization")]
    [InlineData("\"l2\"", "regularization")]
    public void Load_OfABadRegularization_ThrowsInvalidDataNamingIt(string value, string named)
    {
        byte[] bytes = WithLayerField(SampleNetworks.ToBytes(Build()), 2, "regularization", value);

        Action load = () => NetworkSerializer.Load<double>(new MemoryStream(bytes));

        load.Should().Throw<InvalidDataException>().WithMessage($"*{named}*");
    }

    [Theory]
    [InlineData("[2]")]
    [InlineData("[-1]")]
    [InlineData("[1, 0]")]
    [InlineData("[0, 0]")]
    [InlineData("[0, 1, 2]")]
    [InlineData("[0.5]")]
    [InlineData("\"yes\"")]
    [InlineData("{}")]
    [InlineData("1")]
    public void Load_OfABadFrozenList_ThrowsInvalidDataNamingIt(string value)
    {
        byte[] bytes = WithLayerField(SampleNetworks.ToBytes(Build()), 2, "frozen", value);

        Action load = () => NetworkSerializer.Load<double>(new MemoryStream(bytes));

        load.Should().Throw<InvalidDataException>().WithMessage("*frozen*");
    }

    [Fact]
    public void Load_OfAFrozenIndexList_FreezesThoseParameters()
    {
        byte[] bytes = WithLayerField(SampleNetworks.ToBytes(Build()), 2, "frozen", "[1]");

        Network<double> loaded = NetworkSerializer.Load<double>(new MemoryStream(bytes));

        loaded.Layers[2].Parameters.Select(p => p.Frozen).Should().Equal(false, true);
    }

    /// <summary>The header of a model file.</summary>
    internal static string Header(byte[] file) => System.Text.Encoding.UTF8.GetString(file, 16, BitConverter.ToInt32(file, 12));

    /// <summary>The file with one field of layer <paramref name="layer"/>'s header entry set to <paramref name="json"/>, re-signed.</summary>
    internal static byte[] WithLayerField(byte[] file, int layer, string field, string json) =>
        ForgedShapeTests.Forge(file, header => header["layers"]![layer]![field] = JsonNode.Parse(json));
}
