using FluentAssertions;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Losses;
using NeuralNet.Optimizers;
using NeuralNet.Training;
using Xunit;

namespace NeuralNet.Tests.Training;

public sealed class TrainerControlTests
{
    private static readonly (Matrix<double> X, Matrix<double> Y) Data = ToyProblems.Blobs(90, 1);

    [Fact]
    public void EarlyStopping_StopsAfterPatience_AndRestoresTheBestEpochsWeights()
    {
        // Validation labels are rotated, so the better the network learns the training labels, the worse the validation loss.
        Matrix<double> wrong = Data.Y.Map(v => (v + 1) % 3);
        var network = ToyProblems.Classifier(1);
        var options = new TrainingOptions { Epochs = 50, BatchSize = 8, EarlyStopping = new EarlyStopping { Patience = 3 } };
        TrainingHistory history = new Trainer<double>(network, new CategoricalCrossEntropy<double>(), new SgdOptimizer<double>(0.1, 0.9), options).Fit(Data.X, Data.Y, Data.X, wrong);

        history.StopReason.Should().Be(StopReason.EarlyStopping);
        int best = history.BestEpoch!.Value;
        history.Epochs.Should().HaveCount(best + 3);
        history.Epochs.Min(e => e.ValidationLoss).Should().Be(history.Epochs[best - 1].ValidationLoss);
        new CategoricalCrossEntropy<double>().Loss(network.Predict(Data.X), wrong).Should().BeApproximately(history.Epochs[best - 1].ValidationLoss!.Value, 1e-12);
    }

    [Fact]
    public void EarlyStopping_WithoutRestore_KeepsTheLastWeights()
    {
        Matrix<double> wrong = Data.Y.Map(v => (v + 1) % 3);
        var network = ToyProblems.Classifier(1);
        var options = new TrainingOptions { Epochs = 50, BatchSize = 8, EarlyStopping = new EarlyStopping { Patience = 2, RestoreBestWeights = false } };
        TrainingHistory history = new Trainer<double>(network, new CategoricalCrossEntropy<double>(), new SgdOptimizer<double>(0.1, 0.9), options).Fit(Data.X, Data.Y, Data.X, wrong);
        new CategoricalCrossEntropy<double>().Loss(network.Predict(Data.X), wrong).Should().BeApproximately(history.Epochs[^1].ValidationLoss!.Value, 1e-12);
    }

    [Fact]
    public void EarlyStopping_MinDelta_CountsSmallGainsAsNoImprovement()
    {
        var options = new TrainingOptions { Epochs = 100, BatchSize = 8, EarlyStopping = new EarlyStopping { Monitor = TrainingMetric.TrainingLoss, Patience = 2, MinDelta = 10 } };
        TrainingHistory history = new Trainer<double>(ToyProblems.Classifier(1), new CategoricalCrossEntropy<double>(), new SgdOptimizer<double>(0.1), options).Fit(Data.X, Data.Y);
        history.Epochs.Should().HaveCount(3);
        history.BestEpoch.Should().Be(1);
    }

    [Fact]
    public void TargetLoss_StopsOnceTheEpochLossIsLowEnough()
    {
        var options = new TrainingOptions { Epochs = 500, BatchSize = 8, TargetLoss = 0.05 };
        TrainingHistory history = new Trainer<double>(ToyProblems.Classifier(1), new CategoricalCrossEntropy<double>(), new SgdOptimizer<double>(0.1, 0.9), options).Fit(Data.X, Data.Y);
        history.StopReason.Should().Be(StopReason.TargetLossReached);
        history.Epochs[^1].TrainingLoss.Should().BeLessThanOrEqualTo(0.05);
        history.Epochs.Take(history.Epochs.Count - 1).Should().OnlyContain(e => e.TrainingLoss > 0.05);
        history.Epochs.Count.Should().BeLessThan(500);
    }

    [Fact]
    public void EpochCompleted_IsRaisedEveryEpoch_AndCanStopTraining()
    {
        var trainer = new Trainer<double>(ToyProblems.Classifier(1), new CategoricalCrossEntropy<double>(), new SgdOptimizer<double>(0.1), new TrainingOptions { Epochs = 10 });
        var seen = new List<int>();
        trainer.EpochCompleted += (_, e) =>
        {
            seen.Add(e.Record.Epoch);
            e.Stop = e.Record.Epoch == 3;
        };
        TrainingHistory history = trainer.Fit(Data.X, Data.Y);
        seen.Should().Equal(1, 2, 3);
        history.StopReason.Should().Be(StopReason.StoppedByCallback);
        history.Epochs.Should().HaveCount(3);
    }

    [Fact]
    public void Progress_ReportsEveryBatchOfEveryEpoch()
    {
        var reports = new List<TrainingProgress>();
        var options = new TrainingOptions { Epochs = 3, BatchSize = 40, Progress = new SynchronousProgress<TrainingProgress>(reports.Add) };
        new Trainer<double>(ToyProblems.Classifier(1), new CategoricalCrossEntropy<double>(), new SgdOptimizer<double>(0.1), options).Fit(Data.X, Data.Y);
        reports.Select(r => (r.Epoch, r.Batch, r.Batches, r.Epochs)).Should().Equal(
            (1, 1, 3, 3), (1, 2, 3, 3), (1, 3, 3, 3), (2, 1, 3, 3), (2, 2, 3, 3), (2, 3, 3, 3), (3, 1, 3, 3), (3, 2, 3, 3), (3, 3, 3, 3));
        reports.Should().OnlyContain(r => double.IsFinite(r.BatchLoss) && r.BatchLoss > 0);
        reports[^1].Fraction.Should().Be(1);
    }

    [Fact]
    public void Cancellation_StopsBetweenBatches_LeavingTheNetworkConsistent()
    {
        using var cancellation = new CancellationTokenSource();
        var network = ToyProblems.Classifier(1);
        var optimizer = new SgdOptimizer<double>(0.1);
        var options = new TrainingOptions
        {
            Epochs = 5,
            BatchSize = 10,
            Progress = new SynchronousProgress<TrainingProgress>(p =>
            {
                if (p.Epoch == 2 && p.Batch == 4)
                {
                    cancellation.Cancel();
                }
            }),
        };
        TrainingHistory history = new Trainer<double>(network, new CategoricalCrossEntropy<double>(), optimizer, options).Fit(Data.X, Data.Y, cancellationToken: cancellation.Token);

        history.StopReason.Should().Be(StopReason.Cancelled);
        history.Epochs.Should().HaveCount(1, "the interrupted epoch is not recorded");
        optimizer.Iterations.Should().Be(9 + 4, "epoch 1's 9 batches and epoch 2's first 4 ran whole");
        ToyProblems.Weights(network).Should().OnlyContain(w => double.IsFinite(w));
        network.Predict(Data.X).RowCount.Should().Be(90);
    }

    [Fact]
    public void Cancellation_BeforeStart_TrainsNothing()
    {
        var network = ToyProblems.Classifier(1);
        double[] before = ToyProblems.Weights(network);
        TrainingHistory history = new Trainer<double>(network, new CategoricalCrossEntropy<double>(), new SgdOptimizer<double>(0.1)).Fit(Data.X, Data.Y, cancellationToken: new CancellationToken(true));
        history.StopReason.Should().Be(StopReason.Cancelled);
        history.Epochs.Should().BeEmpty();
        ToyProblems.Weights(network).Should().Equal(before);
    }
}
