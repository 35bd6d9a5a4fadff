using FluentAssertions;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Losses;
using NeuralNet.Metrics;
using NeuralNet.Optimizers;
using NeuralNet.Training;
using Xunit;

namespace NeuralNet.Tests.Training;

/// <summary>
/// A plateau schedule watches any column the run records, by name, in the metric's direction (issue #11):
/// each run's rates are held against the rule worked by hand over the very column it watched.
/// </summary>
public sealed class PlateauMonitorTests
{
    private const double Eta0 = 0.05, Factor = 0.5;
    private const int Patience = 2;

    /// <summary>Columns of the classifier run and whether a higher value is better (stated here, not asked of the library).</summary>
    public static TheoryData<string, bool> ClassifierColumns => new()
    {
        { "val_accuracy", true },
        { "val_f1", true },
        { "val_error", false }, // a metric of the test's own, lower is better
        { "val_mae", false },
        { "accuracy", true },
        { "val_loss", false },
        { "loss", false },
    };

    [Theory]
    [MemberData(nameof(ClassifierColumns))]
    public void Classifier_ReducesTheRateExactlyWhenTheMonitoredColumnStopsImproving(string column, bool higherIsBetter)
    {
        TrainingHistory history = FitClassifier(new ReduceOnPlateauSchedule(Factor, Patience, minDelta: 0) { MonitorName = column });

        double[] values = history.Epochs.Select(e => e.Value(column)!.Value).ToArray();
        double[] rates = history.Epochs.Select(e => e.LearningRate).ToArray();
        rates.Should().Equal(ByHand(values, higherIsBetter), $"the rate halves after {Patience} epochs in which {column} did not improve");
        if (column is "val_accuracy" or "val_error" or "val_f1")
        {
            rates.Distinct().Count().Should().BeGreaterThan(1, $"{column} reaches its best and stays there, so the rate falls");
            rates.Should().NotEqual(ByHand(values, !higherIsBetter), "the other direction gives other rates: the test tells the directions apart");
            rates.Should().NotEqual(ByHand(history.Epochs.Select(e => e.ValidationLoss!.Value).ToArray(), false), "watching the validation loss gives other rates: the schedule watched the column");
        }
    }

    [Fact]
    public void ValidationError_OfOneMinusAccuracy_GivesTheRatesOfValidationAccuracy()
    {
        double[] byAccuracy = FitClassifier(new ReduceOnPlateauSchedule(Factor, Patience, minDelta: 0) { MonitorName = "val_accuracy" }).Epochs.Select(e => e.LearningRate).ToArray();
        double[] byError = FitClassifier(new ReduceOnPlateauSchedule(Factor, Patience, minDelta: 0) { MonitorName = "val_error" }).Epochs.Select(e => e.LearningRate).ToArray();

        byError.Should().Equal(byAccuracy, "error = 1 − accuracy improves exactly when accuracy does, in the other direction");
    }

    [Theory]
    [InlineData("val_r2", true)]
    [InlineData("val_rmse", false)]
    [InlineData("r2", true)]
    public void Regression_ReducesTheRateExactlyWhenTheMonitoredColumnStopsImproving(string column, bool higherIsBetter)
    {
        (Matrix<double> x, Matrix<double> y) = ToyProblems.Linear(40, 3);
        var schedule = new ReduceOnPlateauSchedule(Factor, Patience, minDelta: 1e-3) { MonitorName = column };
        var options = new TrainingOptions { Epochs = 25, BatchSize = 8, ValidationSplit = 0.25, Random = new RandomSource(2), Schedule = schedule };
        TrainingHistory history = new Trainer<double>(ToyProblems.Regressor(4), new MeanSquaredError<double>(), new SgdOptimizer<double>(Eta0, momentum: 0.9), options).Fit(x, y);

        double[] values = history.Epochs.Select(e => e.Value(column)!.Value).ToArray();
        history.Epochs.Select(e => e.LearningRate).Should().Equal(ByHand(values, higherIsBetter, 1e-3));
    }

    [Fact]
    public void TheEnumMonitor_GoesThroughTheSameRule()
    {
        TrainingHistory byEnum = FitClassifier(new ReduceOnPlateauSchedule(Factor, Patience, minDelta: 0, monitor: TrainingMetric.ValidationAccuracy));
        TrainingHistory byName = FitClassifier(new ReduceOnPlateauSchedule(Factor, Patience, minDelta: 0) { MonitorName = "val_accuracy" });

        byEnum.Epochs.Select(e => e.LearningRate).Should().Equal(byName.Epochs.Select(e => e.LearningRate));
    }

    [Theory]
    [InlineData("val_auc", true)] // a metric the run does not measure
    [InlineData("val_accuracy", false)] // a validation column without validation data
    [InlineData("Accuracy", true)] // column names are case-sensitive
    public void AColumnTheRunDoesNotRecord_IsRefusedBeforeTrainingChangesAnything(string column, bool validation)
    {
        (Matrix<double> x, Matrix<double> y) = ResumeScenario.Data();
        Network<double> network = ResumeScenario.Network();
        double[] before = ToyProblems.Weights(network);
        var random = new RandomSource(5);
        var position = random.State;
        var optimizer = new SgdOptimizer<double>(Eta0);
        var options = new TrainingOptions { Epochs = 3, ValidationSplit = validation ? 0.2 : 0, Random = random, Metrics = [new Accuracy(), new F1Score()], Schedule = new ReduceOnPlateauSchedule { MonitorName = column } };
        var trainer = new Trainer<double>(network, new CategoricalCrossEntropy<double>(), optimizer, options);

        Action fit = () => trainer.Fit(x, y);

        var thrown = fit.Should().Throw<ArgumentException>().Which;
        thrown.ParamName.Should().Be("options");
        thrown.Message.Should().Contain("ReduceOnPlateauSchedule").And.Contain($"'{column}'").And.Contain("loss, accuracy, f1");
        ToyProblems.Weights(network).Should().Equal(before);
        random.State.Should().Be(position, "the validation split was not drawn");
        optimizer.LearningRate.Should().Be(Eta0);
        trainer.State.Should().BeNull();
    }

    [Fact]
    public void MonitorAndMonitorName_Together_OrAnEmptyName_AreRefused()
    {
        Action both = () => _ = new ReduceOnPlateauSchedule(monitor: TrainingMetric.ValidationLoss) { MonitorName = "val_f1" };
        Action empty = () => _ = new ReduceOnPlateauSchedule { MonitorName = " " };

        both.Should().Throw<ArgumentException>().WithMessage("*not both*").Which.ParamName.Should().Be("MonitorName");
        empty.Should().Throw<ArgumentException>().Which.ParamName.Should().Be("MonitorName");
    }

    [Fact]
    public void OnItsOwn_ItKnowsTheBuiltInColumns_AndAsksForATrainerForOthers()
    {
        var schedule = new ReduceOnPlateauSchedule(Factor, patience: 1, minDelta: 0) { MonitorName = "val_accuracy" };
        var rates = new List<double>();
        foreach (double accuracy in new[] { 0.5, 0.7, 0.7, 0.9, 0.6 })
        {
            rates.Add(schedule.LearningRate(rates.Count, 1));
            schedule.EpochCompleted(Record(rates.Count, new Dictionary<string, double> { ["val_accuracy"] = accuracy }));
        }

        rates.Should().Equal(1, 1, 1, 0.5, 0.5); // 0.7 does not beat 0.7: halve before epoch 4; 0.9 is higher, so better
        Action unknown = () => new ReduceOnPlateauSchedule { MonitorName = "val_error" }.EpochCompleted(Record(1, new Dictionary<string, double> { ["val_error"] = 0.1 }));
        unknown.Should().Throw<InvalidOperationException>().WithMessage("*'val_error'*TrainingOptions.Schedule*");
    }

    /// <summary>Keras's rule, worked over the recorded column: the rate of each epoch, from η₀.</summary>
    private static double[] ByHand(double[] values, bool higherIsBetter, double minDelta = 0)
    {
        var rates = new double[values.Length];
        double multiplier = 1, best = double.NaN;
        int bad = 0;
        for (int e = 0; e < values.Length; e++)
        {
            rates[e] = Eta0 * multiplier;
            bool better = double.IsNaN(best) || (higherIsBetter ? values[e] > best + minDelta : values[e] < best - minDelta);
            if (better)
            {
                (best, bad) = (values[e], 0);
            }
            else if (++bad == Patience)
            {
                (multiplier, bad) = (multiplier * Factor, 0);
            }
        }

        return rates;
    }

    private static TrainingHistory FitClassifier(ReduceOnPlateauSchedule schedule)
    {
        (Matrix<double> x, Matrix<double> y) = ResumeScenario.Data();
        var options = new TrainingOptions
        {
            Epochs = 20, BatchSize = 8, ValidationSplit = 0.3, Random = new RandomSource(5), Schedule = schedule,
            Metrics = [new Accuracy(), new F1Score(), new MeanAbsoluteError(), new ValidationErrorRate()],
        };
        return new Trainer<double>(ResumeScenario.Network(), new CategoricalCrossEntropy<double>(), new SgdOptimizer<double>(Eta0), options).Fit(x, y);
    }

    private static EpochRecord Record(int epoch, Dictionary<string, double> metrics) => new()
    {
        Epoch = epoch, LearningRate = 1, TrainingLoss = 1, ValidationLoss = 1, Metrics = metrics, Duration = TimeSpan.Zero, Elapsed = TimeSpan.Zero,
    };

    /// <summary>The share of rows classified wrongly: a metric of a user's own where lower is better.</summary>
    private sealed class ValidationErrorRate : Metric
    {
        private long _wrong, _rows;

        public override string Name => "error";

        public override bool HigherIsBetter => false;

        public override bool NeedsClasses => true;

        public override void Reset() => (_wrong, _rows) = (0, 0);

        public override void Update(in MetricBatch batch)
        {
            for (int row = 0; row < batch.Rows; row++)
            {
                _wrong += batch.PredictedClasses[row] == batch.ActualClasses[row] ? 0 : 1;
            }

            _rows += batch.Rows;
        }

        public override double Result() => (double)_wrong / _rows;
    }
}
