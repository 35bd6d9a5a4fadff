using FluentAssertions;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Optimizers;
using NeuralNet.Training;
using Xunit;

namespace NeuralNet.Tests.Training;

public sealed class TrainerDivergenceTests
{
    [Fact]
    public void Fit_ExplodingLearningRate_ThrowsNamingEpochAndBatch_AndKeepsFiniteWeights()
    {
        // A linear model on targets of 1e150 with η = 1e10: weights grow by ~1e10 per step until the squared error overflows.
        var x = Matrix<double>.Build.Dense(8, 1, (i, _) => i + 1);
        var y = Matrix<double>.Build.Dense(8, 1, 1e150);
        var network = new Network<double>(1, new DenseLayer<double>(1, 1));
        var trainer = new Trainer<double>(network, new MeanSquaredError<double>(), new SgdOptimizer<double>(1e10), new TrainingOptions { Epochs = 50, BatchSize = 4 });

        TrainingDivergedException error = ((Action)(() => trainer.Fit(x, y))).Should().Throw<TrainingDivergedException>().Which;
        error.Epoch.Should().BeGreaterThan(0);
        error.Batch.Should().BeInRange(1, 2);
        error.Message.Should().Contain($"epoch {error.Epoch}, batch {error.Batch}");
        ToyProblems.Weights(network).Should().OnlyContain(w => double.IsFinite(w));
        network.Predict(x).Enumerate().Should().OnlyContain(v => !double.IsNaN(v));
    }

    [Fact]
    public void Fit_StepThatOverflowsTheWeights_IsRolledBack()
    {
        // A finite loss but a step so large the weights become infinite.
        var x = Matrix<double>.Build.Dense(2, 1, 1.0);
        var y = Matrix<double>.Build.Dense(2, 1, 1e160);
        var network = new Network<double>(1, new DenseLayer<double>(1, 1));
        double[] before = ToyProblems.Weights(network);
        var trainer = new Trainer<double>(network, new MeanSquaredError<double>(), new SgdOptimizer<double>(1e300), new TrainingOptions { Epochs = 1, BatchSize = 2 });

        TrainingDivergedException error = ((Action)(() => trainer.Fit(x, y))).Should().Throw<TrainingDivergedException>().Which;
        (error.Epoch, error.Batch).Should().Be((1, 1));
        error.Message.Should().Contain("weight");
        ToyProblems.Weights(network).Should().Equal(before);
    }
}
