using FluentAssertions;
using NeuralNet.Losses;
using NeuralNet.Optimizers;
using NeuralNet.Training;
using Xunit;

namespace NeuralNet.Tests.Training;

public sealed class LearningRateScheduleTests
{
    [Fact]
    public void Constant_KeepsTheInitialRate() => new ConstantSchedule().LearningRate(57, 0.3).Should().Be(0.3);

    [Fact]
    public void StepDecay_MultipliesByGammaEveryStepSizeEpochs()
    {
        var schedule = new StepDecaySchedule(stepSize: 3, gamma: 0.5);
        Enumerable.Range(0, 7).Select(e => schedule.LearningRate(e, 0.8)).Should().Equal(0.8, 0.8, 0.8, 0.4, 0.4, 0.4, 0.2);
    }

    [Fact]
    public void ExponentialDecay_MultipliesByGammaEveryEpoch()
    {
        var schedule = new ExponentialDecaySchedule(0.9);
        schedule.LearningRate(0, 1).Should().Be(1);
        schedule.LearningRate(3, 1).Should().BeApproximately(0.729, 1e-15);
    }

    [Fact]
    public void Cosine_FallsFromTheInitialRateToTheMinimumOverThePeriod()
    {
        var schedule = new CosineAnnealingSchedule(periodEpochs: 10, minLearningRate: 0.01);
        schedule.LearningRate(0, 0.1).Should().Be(0.1);
        schedule.LearningRate(5, 0.1).Should().BeApproximately(0.055, 1e-15);
        schedule.LearningRate(10, 0.1).Should().BeApproximately(0.01, 1e-15);
        schedule.LearningRate(25, 0.1).Should().BeApproximately(0.01, 1e-15);
        new CosineAnnealingSchedule(4).LearningRate(9, 1).Should().BeGreaterThan(0, "with η_min = 0 the rate stays positive");
    }

    [Fact]
    public void ReduceOnPlateau_ReducesAfterPatienceEpochsWithoutImprovement_ThenCoolsDown()
    {
        var schedule = new ReduceOnPlateauSchedule(factor: 0.5, patience: 2, minDelta: 0.01, cooldown: 1);
        double[] losses = [1.0, 0.9, 0.895, 0.9, 0.8, 0.85, 0.85, 0.85, 0.85];
        var rates = new List<double>();
        for (int e = 0; e < losses.Length; e++)
        {
            rates.Add(schedule.LearningRate(e, 0.1));
            schedule.EpochCompleted(Record(e + 1, losses[e]));
        }

        // 0.895 and 0.9 do not beat 0.9 by 0.01 → halve after epoch 4; 0.8 improves; 0.85 ×2 → halve after epoch 7; the next is cooldown.
        rates.Should().Equal([0.1, 0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025, 0.025], (a, e) => Math.Abs(a - e) < 1e-15);
        schedule.Reset();
        schedule.LearningRate(0, 0.1).Should().Be(0.1);
    }

    [Fact]
    public void Trainer_AppliesTheScheduleEachEpoch_AndRecordsTheRate()
    {
        (var x, var y) = ToyProblems.Blobs(30, 1);
        var optimizer = new SgdOptimizer<double>(0.2);
        var options = new TrainingOptions { Epochs = 5, Schedule = new StepDecaySchedule(2, 0.5) };
        TrainingHistory history = new Trainer<double>(ToyProblems.Classifier(1), new CategoricalCrossEntropy<double>(), optimizer, options).Fit(x, y);
        history.Epochs.Select(e => e.LearningRate).Should().Equal(0.2, 0.2, 0.1, 0.1, 0.05);
        optimizer.LearningRate.Should().Be(0.05);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.5)]
    [InlineData(double.NaN)]
    public void Schedules_NonsenseArguments_Throw(double gamma)
    {
        ((Action)(() => _ = new ExponentialDecaySchedule(gamma))).Should().Throw<ArgumentOutOfRangeException>().Which.Message.Should().Contain("gamma");
        ((Action)(() => _ = new StepDecaySchedule(1, gamma))).Should().Throw<ArgumentOutOfRangeException>();
        ((Action)(() => _ = new StepDecaySchedule(0))).Should().Throw<ArgumentOutOfRangeException>();
        ((Action)(() => _ = new CosineAnnealingSchedule(0))).Should().Throw<ArgumentOutOfRangeException>();
        ((Action)(() => _ = new ReduceOnPlateauSchedule(factor: 1))).Should().Throw<ArgumentOutOfRangeException>();
        ((Action)(() => _ = new ReduceOnPlateauSchedule(minLearningRate: 0))).Should().Throw<ArgumentOutOfRangeException>();
    }

    private static EpochRecord Record(int epoch, double loss) => new()
    {
        Epoch = epoch,
        LearningRate = 0.1,
        TrainingLoss = loss,
        Duration = TimeSpan.Zero,
        Elapsed = TimeSpan.Zero,
    };
}
