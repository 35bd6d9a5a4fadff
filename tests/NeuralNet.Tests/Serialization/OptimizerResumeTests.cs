using System.Numerics;
using FluentAssertions;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Losses;
using NeuralNet.Optimizers;
using NeuralNet.Serialization;
using Xunit;

namespace NeuralNet.Tests.Serialization;

public sealed class OptimizerResumeTests
{
    public static TheoryData<double, bool, double> SgdSettings => new()
    {
        { 0.0, false, 0.0 },
        { 0.9, false, 0.0 },
        { 0.9, true, 1e-3 },
    };

    [Theory]
    [MemberData(nameof(SgdSettings))]
    public void LoadCheckpoint_MidTraining_ContinuesToTheSameWeightsAsTrainingStraightThrough_Double(double momentum, bool nesterov, double weightDecay) =>
        ResumesExactly<double>(() => new SgdOptimizer<double>(0.05, momentum, nesterov, weightDecay) { ClipNorm = 5 }, useCheckpoint: true);

    [Theory]
    [MemberData(nameof(SgdSettings))]
    public void LoadCheckpoint_MidTraining_ContinuesToTheSameWeightsAsTrainingStraightThrough_Float(double momentum, bool nesterov, double weightDecay) =>
        ResumesExactly<float>(() => new SgdOptimizer<float>(0.05, momentum, nesterov, weightDecay), useCheckpoint: true);

    [Fact]
    public void Load_IntoSuppliedOptimizer_ContinuesToTheSameWeightsAsTrainingStraightThrough() =>
        ResumesExactly<double>(() => new SgdOptimizer<double>(0.05, momentum: 0.8), useCheckpoint: false);

    [Fact]
    public void LoadCheckpoint_RestoresSettingsAndStepCount()
    {
        Network<double> network = SampleNetworks.Small<double>();
        var optimizer = new SgdOptimizer<double>(0.05, momentum: 0.9, nesterov: true, weightDecay: 0.01) { ClipValue = 0.5, ClipNorm = 3 };
        Train(network, optimizer, 0, 4);

        TrainingCheckpoint<double> checkpoint = NetworkSerializer.LoadCheckpoint<double>(new MemoryStream(SampleNetworks.ToBytes(network, optimizer)));

        var loaded = checkpoint.Optimizer.Should().BeOfType<SgdOptimizer<double>>().Subject;
        (loaded.LearningRate, loaded.Momentum, loaded.Nesterov, loaded.WeightDecay, loaded.ClipValue, loaded.ClipNorm, loaded.Iterations)
            .Should().Be((0.05, 0.9, true, 0.01, 0.5, 3.0, 4L));
        for (int i = 0; i < network.Parameters.Count; i++)
        {
            OptimizerState<double> state = loaded.StateOf(checkpoint.Network.Parameters[i])!;
            state.Steps.Should().Be(4);
            state.Slot(0).ToArray().Should().Equal(optimizer.StateOf(network.Parameters[i])!.Slot(0).ToArray());
        }
    }

    private static void ResumesExactly<T>(Func<Optimizer<T>> createOptimizer, bool useCheckpoint)
        where T : struct, IFloatingPointIeee754<T>
    {
        Network<T> straight = SampleNetworks.Small<T>();
        Train(straight, createOptimizer(), 0, 12);

        Network<T> first = SampleNetworks.Small<T>();
        Optimizer<T> firstOptimizer = createOptimizer();
        Train(first, firstOptimizer, 0, 5);
        byte[] saved = SampleNetworks.ToBytes(first, firstOptimizer);
        Network<T> resumed;
        Optimizer<T> resumedOptimizer;
        if (useCheckpoint)
        {
            TrainingCheckpoint<T> checkpoint = NetworkSerializer.LoadCheckpoint<T>(new MemoryStream(saved));
            (resumed, resumedOptimizer) = (checkpoint.Network, checkpoint.Optimizer);
        }
        else
        {
            resumedOptimizer = createOptimizer();
            resumed = NetworkSerializer.Load(new MemoryStream(saved), resumedOptimizer);
        }

        Train(resumed, resumedOptimizer, 5, 12);

        for (int i = 0; i < straight.Parameters.Count; i++)
        {
            resumed.Parameters[i].Values.ToArray().Should().Equal(straight.Parameters[i].Values.ToArray(), $"parameter {i} must match bit for bit");
        }

        resumedOptimizer.Iterations.Should().Be(12);
    }

    /// <summary>Steps <paramref name="from"/> to <paramref name="to"/> of a fixed sequence of batches.</summary>
    private static void Train<T>(Network<T> network, Optimizer<T> optimizer, int from, int to)
        where T : struct, IFloatingPointIeee754<T>
    {
        var loss = new MeanSquaredError<T>();
        for (int step = from; step < to; step++)
        {
            Matrix<T> x = SampleNetworks.Batch<T>(6, network.InputSize, seed: (ulong)step);
            Matrix<T> y = x.SubMatrix(0, 6, 0, network.OutputSize).Map(v => v * v);
            network.TrainStep(x, y, loss, optimizer);
        }
    }
}
