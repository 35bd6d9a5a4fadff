using FluentAssertions;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Optimizers;
using NeuralNet.Tests.Serialization;
using NeuralNet.Training;
using Xunit;

namespace NeuralNet.Tests.Networks;

/// <summary>Frozen layers and parameters: not updated, no optimizer state, counted as frozen, in TrainStep and in Fit, without allocation.</summary>
[Collection(nameof(NeuralNet.Tests.Kernels.SecondCoreHeld))]
public sealed class FreezingTests
{
    private static Network<double> Build(ulong seed = 4) =>
        new(seed,
            new DenseLayer<double>(4, 6, new ReLU<double>()),
            new BatchNormalization<double>(6),
            new DenseLayer<double>(6, 3, new Softmax<double>()));

    private static (Matrix<double> X, Matrix<double> T) Data(int rows = 12) =>
        (SampleNetworks.Batch<double>(rows, 4, 3), Matrix<double>.Build.Dense(rows, 1, (r, _) => r % 3));

    [Fact]
    public void FrozenLayer_IsNotUpdated_GetsNoOptimizerState_AndIsNotCountedAsTrainable()
    {
        Network<double> network = Build();
        int all = network.ParameterCount;
        network.Layers[0].Frozen = true;
        network.Layers[2].Parameters[1].Frozen = true; // the output layer's biases alone
        double[][] before = network.Parameters.Select(p => p.Values.ToArray()).ToArray();
        var optimizer = new AdamOptimizer<double>(0.05);
        (Matrix<double> x, Matrix<double> t) = Data();

        for (int i = 0; i < 5; i++)
        {
            network.TrainStep(x, t, new CategoricalCrossEntropy<double>(), optimizer);
        }

        bool[] frozen = network.Parameters.Select(p => p.Frozen).ToArray();
        frozen.Should().Equal(true, true, false, false, false, true);
        for (int i = 0; i < frozen.Length; i++)
        {
            if (frozen[i])
            {
                network.Parameters[i].Values.ToArray().Should().Equal(before[i], $"parameter {i} is frozen");
                optimizer.StateOf(network.Parameters[i]).Should().BeNull($"parameter {i} is frozen");
            }
            else
            {
                network.Parameters[i].Values.ToArray().Should().NotEqual(before[i], $"parameter {i} trains");
                optimizer.StateOf(network.Parameters[i]).Should().NotBeNull();
            }
        }

        network.Layers[0].Frozen.Should().BeTrue();
        network.Layers[2].Frozen.Should().BeFalse("only its biases are frozen");
        network.ParameterCount.Should().Be(all - (4 * 6 + 6) - 3);
    }

    [Fact]
    public void Summary_CountsFrozenParametersInTheirOwnColumn()
    {
        Network<double> network = Build();
        network.Layers[0].Frozen = true;

        ModelSummary summary = network.Summary();

        summary.Layers[0].TrainableParameters.Should().Be(0);
        summary.Layers[0].FrozenParameters.Should().Be(30);
        summary.Layers[1].NonTrainableValues.Should().Be(12);
        summary.TrainableParameters.Should().Be(network.ParameterCount).And.Be(12 + 21);
        summary.FrozenParameters.Should().Be(30);
        summary.TotalValues.Should().Be(30 + 33 + 12);
        string table = summary.ToString();
        table.Should().Contain("frozen").And.Contain("frozen parameters: 30");
        table.Split(Environment.NewLine).Single(l => l.StartsWith("0 ", StringComparison.Ordinal)).Should().MatchRegex(@"\s0\s+30\s+0$");
    }

    [Fact]
    public void UnfreezingLater_TrainsTheLayerAgain()
    {
        Network<double> network = Build();
        network.Layers[0].Frozen = true;
        var optimizer = new SgdOptimizer<double>(0.1, momentum: 0.9);
        (Matrix<double> x, Matrix<double> t) = Data();
        network.TrainStep(x, t, new CategoricalCrossEntropy<double>(), optimizer);
        double[] frozenWeights = network.Parameters[0].Values.ToArray();

        network.Layers[0].Frozen = false;
        network.TrainStep(x, t, new CategoricalCrossEntropy<double>(), optimizer);

        network.Parameters[0].Values.ToArray().Should().NotEqual(frozenWeights);
        optimizer.StateOf(network.Parameters[0]).Should().NotBeNull();
    }

    [Fact]
    public void Fit_LeavesFrozenParametersAlone()
    {
        Network<double> network = Build();
        network.Layers[2].Frozen = true;
        double[][] before = network.Layers[2].Parameters.Select(p => p.Values.ToArray()).ToArray();
        double[] firstBefore = network.Parameters[0].Values.ToArray();
        var optimizer = new AdamOptimizer<double>(0.01);
        var trainer = new Trainer<double>(network, new CategoricalCrossEntropy<double>(), optimizer, new TrainingOptions { Epochs = 3, BatchSize = 4 });
        (Matrix<double> x, Matrix<double> t) = Data();

        trainer.Fit(x, t);

        network.Layers[2].Parameters.Select(p => p.Values.ToArray()).Should().BeEquivalentTo(before, o => o.WithStrictOrdering());
        network.Layers[2].Parameters.Should().AllSatisfy(p => optimizer.StateOf(p).Should().BeNull());
        network.Parameters[0].Values.ToArray().Should().NotEqual(firstBefore);
    }

    [Fact]
    public void TrainStep_WithFrozenAndRegularizedLayers_AllocatesNothingOnceWarm()
    {
        Network<double> network = Build();
        network.Layers[0].Regularization = new Regularization(l1: 1e-3, l2: 1e-3, biases: true);
        network.Layers[2].Regularization = new Regularization(l2: 1e-2);
        network.Layers[1].Frozen = true;
        var optimizer = new AdamOptimizer<double>(0.01) { ClipNorm = 1 };
        (Matrix<double> x, Matrix<double> t) = Data(8);
        var loss = new CategoricalCrossEntropy<double>();

        NetworkAllocationTests.AllocatedBy(() => network.TrainStep(x, t, loss, optimizer)).Should().Be(0);
    }
}
