using FluentAssertions;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Optimizers;
using NeuralNet.Serialization;
using NeuralNet.Training;
using Xunit;

namespace NeuralNet.Tests.Training;

/// <summary>
/// Early stopping that restores the best weights puts back a batch normalisation's running statistics too
/// (they belong to the weights they were gathered with), in the trainer's state and in a checkpoint.
/// </summary>
public sealed class RestoreBestStateTests
{
    private static Network<double> Build() =>
        new(3, new DenseLayer<double>(2, 8, new ReLU<double>()), new BatchNormalization<double>(8), new DenseLayer<double>(8, 3, new Softmax<double>()));

    /// <summary>Blobs to train on, and the same points with other labels to validate on: the validation loss is best early and then worsens.</summary>
    private static (Matrix<double> X, Matrix<double> Y, Matrix<double> VX, Matrix<double> VY) Data()
    {
        (Matrix<double> x, Matrix<double> y) = ToyProblems.Blobs(60, 4);
        Matrix<double> wrong = y.Map(c => (c + 1) % 3);
        return (x, y, x, wrong);
    }

    [Fact]
    public void Fit_RestoringTheBestWeights_PutsBackTheRunningStatisticsOfTheBestEpoch()
    {
        Network<double> network = Build();
        (Matrix<double> x, Matrix<double> y, Matrix<double> vx, Matrix<double> vy) = Data();
        var recorder = new StateRecorder();
        var trainer = new Trainer<double>(network, new CategoricalCrossEntropy<double>(), new SgdOptimizer<double>(0.1),
            new TrainingOptions { Epochs = 6, BatchSize = 10, EarlyStopping = new EarlyStopping { Patience = 100, RestoreBestWeights = true } });
        trainer.Callbacks.Add(recorder);

        TrainingHistory history = trainer.Fit(x, y, vx, vy);

        int best = history.BestEpoch!.Value;
        best.Should().BeLessThan(6, "the validation labels are wrong, so the best epoch is an early one");
        double[][] now = network.WeightsAndState.Select(p => p.Values.ToArray()).ToArray();
        now.Should().BeEquivalentTo(recorder.Epochs[best - 1], o => o.WithStrictOrdering(), "weights and running statistics of the best epoch");
        now[^2].Should().NotEqual(recorder.Epochs[^1][^2], "the running mean moved after the best epoch");
        trainer.State!.BestWeights!.Length.Should().Be(network.WeightsAndState.Count, "the kept best weights include the running statistics");
    }

    [Fact]
    public void Checkpoint_KeepsTheBestRunningStatistics_AndTheContinuedRunPutsThemBack()
    {
        (Matrix<double> x, Matrix<double> y, Matrix<double> vx, Matrix<double> vy) = Data();
        TrainingOptions Options(int epochs) => new() { Epochs = epochs, BatchSize = 10, EarlyStopping = new EarlyStopping { Patience = 100, RestoreBestWeights = true } };
        var loss = new CategoricalCrossEntropy<double>();
        Network<double> straight = Build();
        new Trainer<double>(straight, loss, new SgdOptimizer<double>(0.1), Options(6)).Fit(x, y, vx, vy);

        Network<double> first = Build();
        var optimizer = new SgdOptimizer<double>(0.1);
        var trainer = new Trainer<double>(first, loss, optimizer, Options(3));
        trainer.Fit(x, y, vx, vy);
        string path = Path.Combine(Path.GetTempPath(), $"neuralnet-best-state-{Guid.NewGuid():N}.nnet");
        try
        {
            NetworkSerializer.Save(first, path, optimizer, trainer.State!);
            TrainingCheckpoint<double> checkpoint = NetworkSerializer.LoadCheckpoint<double>(path);
            checkpoint.State!.BestWeights!.Should().BeEquivalentTo(trainer.State!.BestWeights, o => o.WithStrictOrdering());
            checkpoint.State.LastEpochWeights.Should().BeEquivalentTo(trainer.State.LastEpochWeights, o => o.WithStrictOrdering());

            new Trainer<double>(checkpoint.Network, loss, checkpoint.Optimizer, Options(3)) { State = checkpoint.State }.Fit(x, y, vx, vy);

            checkpoint.Network.WeightsAndState.Zip(straight.WeightsAndState).Should().AllSatisfy(p => p.First.Values.ToArray().Should().Equal(p.Second.Values.ToArray()));
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>Every tensor of the network (weights, then running statistics) after each epoch.</summary>
    private sealed class StateRecorder : TrainingCallback<double>
    {
        public List<double[][]> Epochs { get; } = [];

        public override void OnEpochEnd(TrainingContext<double> context) =>
            Epochs.Add(context.Network.WeightsAndState.Select(p => p.Values.ToArray()).ToArray());
    }
}
