using FluentAssertions;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Losses;
using NeuralNet.Metrics;
using NeuralNet.Optimizers;
using NeuralNet.Training;
using Xunit;

namespace NeuralNet.Tests.Training;

/// <summary>Early stopping and checkpoints watch any metric the run records, by its history column, in the metric's direction.</summary>
public sealed class MonitoredMetricTests
{
    [Fact]
    public void EarlyStopping_OnValF1_AndModelCheckpoint_OnValAuc_FollowTheMetricsDirection()
    {
        string folder = Directory.CreateTempSubdirectory("neuralnet-monitor-").FullName;
        try
        {
            (Matrix<double> x, Matrix<double> y) = ResumeScenario.Data();
            var options = new TrainingOptions
            {
                Epochs = 40, BatchSize = 8, ValidationSplit = 0.3, Random = new RandomSource(5), Metrics = [new F1Score(), new TopKAccuracy(2)],
                EarlyStopping = new EarlyStopping { MonitorName = "val_f1", Patience = 3, RestoreBestWeights = false },
            };
            var trainer = new Trainer<double>(ResumeScenario.Network(), new CategoricalCrossEntropy<double>(), new SgdOptimizer<double>(0.05), options);
            var best = new ModelCheckpoint<double>(Path.Combine(folder, "best.nnet"), "val_top2_accuracy");
            trainer.Callbacks.Add(best);

            TrainingHistory history = trainer.Fit(x, y);

            double[] f1 = history.Epochs.Select(e => e.Metrics["val_f1"]).ToArray();
            int bestEpoch = Array.IndexOf(f1, f1.Max()) + 1; // the first epoch with the highest F1
            history.BestEpoch.Should().Be(bestEpoch, "higher F1 is better");
            if (history.StopReason == StopReason.EarlyStopping)
            {
                history.Epochs.Count.Should().Be(bestEpoch + 3);
            }

            double[] top2 = history.Epochs.Select(e => e.Metrics["val_top2_accuracy"]).ToArray();
            best.LastSavedEpoch.Should().Be(Array.IndexOf(top2, top2.Max()) + 1, "higher top-2 accuracy is better");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void AColumnTheRunDoesNotRecord_OrTwoMonitors_AreRefusedBeforeTraining()
    {
        (Matrix<double> x, Matrix<double> y) = ResumeScenario.Data();
        Trainer<double> Trainer(EarlyStopping early) => new(ResumeScenario.Network(), new CategoricalCrossEntropy<double>(), new SgdOptimizer<double>(0.05), new TrainingOptions { ValidationSplit = 0.2, EarlyStopping = early });

        Action unknown = () => Trainer(new EarlyStopping { MonitorName = "val_f1" }).Fit(x, y);
        Action both = () => Trainer(new EarlyStopping { MonitorName = "val_accuracy", Monitor = TrainingMetric.ValidationLoss }).Fit(x, y);
        var checkpointed = new Trainer<double>(ResumeScenario.Network(), new CategoricalCrossEntropy<double>(), new SgdOptimizer<double>(0.05));
        checkpointed.Callbacks.Add(new ModelCheckpoint<double>(Path.Combine(Path.GetTempPath(), "never.nnet"), "val_accuracy"));
        Action noValidation = () => checkpointed.Fit(x, y);

        unknown.Should().Throw<ArgumentException>().WithMessage("*'val_f1' is not recorded*loss, accuracy, and val_ + each*");
        both.Should().Throw<ArgumentException>().WithMessage("*not both*");
        noValidation.Should().Throw<ArgumentException>().WithMessage("*'val_accuracy' is not recorded*with validation data*").Which.ParamName.Should().Be("Callbacks");
    }

    [Fact]
    public void AMonitorGivenAsTrainingMetric_ThatTheRunDoesNotRecord_IsRefusedBeforeTraining_NotAfterTheFirstEpoch()
    {
        (Matrix<double> x, Matrix<double> y) = ResumeScenario.Data();
        Network<double> network = ResumeScenario.Network();
        double[] before = ToyProblems.Weights(network);
        var early = new Trainer<double>(network, new CategoricalCrossEntropy<double>(), new SgdOptimizer<double>(0.05), new TrainingOptions
        {
            ValidationSplit = 0.2, Metrics = [new F1Score()], EarlyStopping = new EarlyStopping { Monitor = TrainingMetric.ValidationAccuracy },
        });
        var checkpointed = new Trainer<double>(network, new CategoricalCrossEntropy<double>(), new SgdOptimizer<double>(0.05));
        checkpointed.Callbacks.Add(new ModelCheckpoint<double>(Path.Combine(Path.GetTempPath(), "never.nnet"), TrainingMetric.ValidationLoss));

        ((Action)(() => early.Fit(x, y))).Should().Throw<ArgumentException>().WithMessage("early stopping: *'val_accuracy' is not recorded*loss, f1*").Which.ParamName.Should().Be("options");
        ((Action)(() => checkpointed.Fit(x, y))).Should().Throw<ArgumentException>().WithMessage("ModelCheckpoint: *'val_loss' is not recorded*with validation data*").Which.ParamName.Should().Be("Callbacks");
        ToyProblems.Weights(network).Should().Equal(before, "nothing trained");
    }
}
