using FluentAssertions;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Losses;
using NeuralNet.Optimizers;
using NeuralNet.Serialization;
using NeuralNet.Training;
using Xunit;

namespace NeuralNet.Tests.Training;

/// <summary>Callbacks are objects with hooks at train, epoch and batch begin and end; checkpoints and the CSV log are callbacks.</summary>
public sealed class TrainingCallbackTests
{
    [Fact]
    public void Hooks_RunInOrder_WithTheContextOfEachMoment()
    {
        (Matrix<double> x, Matrix<double> y) = ToyProblems.Blobs(12, 1);
        var trainer = new Trainer<double>(ToyProblems.Classifier(2), new CategoricalCrossEntropy<double>(), new SgdOptimizer<double>(0.1), new TrainingOptions { Epochs = 2, BatchSize = 6 });
        var log = new Recorder();
        trainer.Callbacks.Add(log);

        trainer.Fit(x, y);

        log.Events.Should().Equal(
            "train", "epoch 1", "batch 1.1", "end 1.1", "batch 1.2", "end 1.2", "epoch end 1 (2 batches)",
            "epoch 2", "batch 2.1", "end 2.1", "batch 2.2", "end 2.2", "epoch end 2 (2 batches)", "train end");
    }

    [Fact]
    public void Stop_FromACallback_EndsTheRunAfterThatEpoch()
    {
        (Matrix<double> x, Matrix<double> y) = ToyProblems.Blobs(12, 1);
        var trainer = new Trainer<double>(ToyProblems.Classifier(2), new CategoricalCrossEntropy<double>(), new SgdOptimizer<double>(0.1), new TrainingOptions { Epochs = 10 });
        trainer.Callbacks.Add(new StopAt(3));

        TrainingHistory history = trainer.Fit(x, y);

        (history.Epochs.Count, history.StopReason).Should().Be((3, StopReason.StoppedByCallback));
    }

    [Fact]
    public void ModelCheckpoint_EveryTwoEpochs_SavesACheckpointThatContinuesToTheBit()
    {
        string folder = Directory.CreateTempSubdirectory("neuralnet-checkpoint-").FullName;
        try
        {
            (Matrix<double> x, Matrix<double> y) = ResumeScenario.Data();
            Network<double> network = ResumeScenario.Network();
            Trainer<double> trainer = ResumeScenario.Trainer(network, ResumeScenario.Optimizer("adam"), "plateau", 6, ownRandom: true);
            var checkpoint = new ModelCheckpoint<double>(Path.Combine(folder, "epoch-{epoch}.nnet"), everyEpochs: 2);
            trainer.Callbacks.Add(checkpoint);
            trainer.Fit(x, y);

            Directory.GetFiles(folder).Select(Path.GetFileName).Order().Should().Equal("epoch-2.nnet", "epoch-4.nnet", "epoch-6.nnet");
            TrainingCheckpoint<double> saved = NetworkSerializer.LoadCheckpoint<double>(Path.Combine(folder, "epoch-4.nnet"));
            saved.State!.EpochsDone.Should().Be(4);
            Trainer<double> resumed = ResumeScenario.Trainer(saved.Network, saved.Optimizer, "plateau", 2, ownRandom: true);
            resumed.State = saved.State;
            resumed.Fit(x, y);
            Weights(saved.Network).Should().Equal(Weights(network), "a checkpoint taken inside the run continues as the run did");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void ModelCheckpoint_BestByValidationLoss_SavesTheEpochEarlyStoppingCallsBest()
    {
        string folder = Directory.CreateTempSubdirectory("neuralnet-checkpoint-").FullName;
        try
        {
            (Matrix<double> x, Matrix<double> y) = ResumeScenario.Data();
            Network<double> network = ResumeScenario.Network();
            Trainer<double> trainer = ResumeScenario.Trainer(network, ResumeScenario.Optimizer("sgd"), "none", 8, ownRandom: false);
            var best = new ModelCheckpoint<double>(Path.Combine(folder, "best.nnet"), TrainingMetric.ValidationLoss);
            trainer.Callbacks.Add(best);

            TrainingHistory history = trainer.Fit(x, y);

            best.LastSavedEpoch.Should().Be(history.BestEpoch!.Value);
            Weights(NetworkSerializer.Load<double>(Path.Combine(folder, "best.nnet"))).Should().Equal(Weights(network), "early stopping put the same best weights back");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void CsvLogger_WritesTheHistoryAfterEveryEpoch()
    {
        string path = Path.Combine(Path.GetTempPath(), $"neuralnet-log-{Guid.NewGuid():N}.csv");
        try
        {
            (Matrix<double> x, Matrix<double> y) = ToyProblems.Blobs(12, 1);
            var trainer = new Trainer<double>(ToyProblems.Classifier(2), new CategoricalCrossEntropy<double>(), new SgdOptimizer<double>(0.1), new TrainingOptions { Epochs = 3 });
            trainer.Callbacks.Add(new CsvLogger<double>(path));

            TrainingHistory history = trainer.Fit(x, y);

            File.ReadAllText(path).Should().Be(history.ToCsv());
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static double[] Weights(Network<double> network) => network.Parameters.SelectMany(p => p.Values.ToArray()).ToArray();

    private sealed class Recorder : TrainingCallback<double>
    {
        public List<string> Events { get; } = [];

        public override void OnTrainBegin(TrainingContext<double> context) => Events.Add("train");

        public override void OnEpochBegin(TrainingContext<double> context) => Events.Add($"epoch {context.Epoch}");

        public override void OnBatchBegin(TrainingContext<double> context) => Events.Add($"batch {context.Epoch}.{context.Batch}");

        public override void OnBatchEnd(TrainingContext<double> context)
        {
            double.IsFinite(context.BatchLoss).Should().BeTrue();
            Events.Add($"end {context.Epoch}.{context.Batch}");
        }

        public override void OnEpochEnd(TrainingContext<double> context) => Events.Add($"epoch end {context.Record!.Epoch} ({context.Batches} batches)");

        public override void OnTrainEnd(TrainingContext<double> context) => Events.Add("train end");
    }

    private sealed class StopAt(int epoch) : TrainingCallback<double>
    {
        public override void OnEpochEnd(TrainingContext<double> context)
        {
            if (context.Epoch == epoch)
            {
                context.Stop();
            }
        }
    }
}
