using FluentAssertions;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Optimizers;
using NeuralNet.Training;
using Xunit;

namespace NeuralNet.Tests.Training;

/// <summary>Claims of the README's training section that no other test held the code to.</summary>
public sealed class ReadmeTrainingClaimsTests
{
    [Fact]
    public void CancellingMidEpoch_LeavesAStateThatResumesAfterTheLastCompletedEpoch()
    {
        // README, "Resuming a run": cancelling mid-epoch leaves a state that resumes after the last completed epoch.
        (Matrix<double> x, Matrix<double> y) = ToyProblems.Blobs(60, 4);
        using var cancellation = new CancellationTokenSource();
        var trainer = new Trainer<double>(ToyProblems.Classifier(2), new CategoricalCrossEntropy<double>(), new SgdOptimizer<double>(0.1), new TrainingOptions
        {
            Epochs = 4, BatchSize = 10, Schedule = new StepDecaySchedule(1, 0.5),
            Progress = new SynchronousProgress<TrainingProgress>(p =>
            {
                if (p.Epoch == 3 && p.Batch == 2)
                {
                    cancellation.Cancel();
                }
            }),
        });

        TrainingHistory cancelled = trainer.Fit(x, y, cancellationToken: cancellation.Token);
        TrainingHistory resumed = trainer.Fit(x, y);

        cancelled.StopReason.Should().Be(StopReason.Cancelled);
        cancelled.Epochs.Select(e => e.Epoch).Should().Equal(1, 2);
        resumed.Epochs.Select(e => e.Epoch).Should().Equal(3, 4, 5, 6);
        resumed.Epochs[0].LearningRate.Should().Be(0.1 * 0.25, "epoch 3's rate of the schedule, from η₀ kept in the state");
    }

    [Fact]
    public void ValidationLoss_IsTheDataLossAlone_WithoutTheRegularizationPenalty()
    {
        // README, "Regularisation and freezing per layer": validation losses are the data loss alone.
        (Matrix<double> x, Matrix<double> y) = ToyProblems.Blobs(60, 5);
        Matrix<double> trainX = x.SubMatrix(0, 45, 0, 2), trainY = y.SubMatrix(0, 45, 0, 1), validX = x.SubMatrix(45, 15, 0, 2), validY = y.SubMatrix(45, 15, 0, 1);
        var network = new Network<double>(3,
            new DenseLayer<double>(2, 8, new Tanh<double>()) { Regularization = new Regularization(l2: 0.1) },
            new DenseLayer<double>(8, 3, new Softmax<double>()));
        var loss = new CategoricalCrossEntropy<double>();

        TrainingHistory history = new Trainer<double>(network, loss, new SgdOptimizer<double>(0.05), new TrainingOptions { Epochs = 3, BatchSize = 16 }).Fit(trainX, trainY, validX, validY);

        double dataLoss = loss.Loss(network.Predict(validX), validY);
        network.RegularizationPenalty().Should().BeGreaterThan(0.01, "the penalty is large enough to tell the two apart");
        history.Last!.ValidationLoss!.Value.Should().BeApproximately(dataLoss, 1e-12);
    }

    /// <summary>Reports on the calling thread, at once (Progress&lt;T&gt; would post to the thread pool).</summary>
    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
