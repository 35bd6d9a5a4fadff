using FluentAssertions;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Losses;
using NeuralNet.Optimizers;
using NeuralNet.Training;
using Xunit;

namespace NeuralNet.Tests.Training;

/// <summary>Bad input fails with a clear exception before anything changes: weights, optimizer state and the random source stay as they were.</summary>
public sealed class TrainerInputValidationTests
{
    private static readonly (Matrix<double> X, Matrix<double> Y) Data = ToyProblems.Blobs(30, 1);

    public static TheoryData<string, Func<Trainer<double>, TrainingHistory>, string> BadFits => new()
    {
        { "wrong input columns", t => t.Fit(Matrix<double>.Build.Dense(30, 3), Data.Y), "inputs" },
        { "NaN input", t => t.Fit(With(Data.X, 4, 1, double.NaN), Data.Y), "inputs" },
        { "target rows", t => t.Fit(Data.X, Matrix<double>.Build.Dense(29, 1)), "targets" },
        { "label out of range", t => t.Fit(Data.X, With(Data.Y, 7, 0, 3)), "targets" },
        { "fractional label", t => t.Fit(Data.X, With(Data.Y, 7, 0, 0.5)), "targets" },
        { "infinite target", t => t.Fit(Data.X, With(Data.Y, 2, 0, double.PositiveInfinity)), "targets" },
        { "negative sample weight", t => t.Fit(Data.X, Data.Y, sampleWeights: Vector<double>.Build.Dense(30, i => i == 3 ? -1 : 1)), "sampleWeights" },
        { "sample weight count", t => t.Fit(Data.X, Data.Y, sampleWeights: Vector<double>.Build.Dense(29, 1)), "sampleWeights" },
        { "validation inputs alone", t => t.Fit(Data.X, Data.Y, validationInputs: Data.X), "validationTargets" },
        { "validation columns", t => t.Fit(Data.X, Data.Y, Matrix<double>.Build.Dense(5, 4), Matrix<double>.Build.Dense(5, 1)), "validationInputs" },
        { "validation label", t => t.Fit(Data.X, Data.Y, Data.X, With(Data.Y, 0, 0, -1)), "validationTargets" },
    };

    [Theory]
    [MemberData(nameof(BadFits))]
    public void Fit_BadArguments_ThrowNamingTheArgument_BeforeAnyChange(string what, Func<Trainer<double>, TrainingHistory> fit, string parameter)
    {
        var network = ToyProblems.Classifier(1);
        var optimizer = new SgdOptimizer<double>(0.1, 0.9);
        var random = new RandomSource(3);
        double[] before = ToyProblems.Weights(network);
        var trainer = new Trainer<double>(network, new CategoricalCrossEntropy<double>(), optimizer, new TrainingOptions { Random = random, ValidationSplit = 0.2 });

        ((Action)(() => fit(trainer))).Should().Throw<ArgumentException>(what).Which.ParamName.Should().Be(parameter);
        ToyProblems.Weights(network).Should().Equal(before);
        optimizer.Iterations.Should().Be(0);
        random.NextUInt64().Should().Be(new RandomSource(3).NextUInt64(), "the random source must not have advanced");
    }

    [Fact]
    public void Fit_MonitorNeedingValidation_WithoutValidationData_Throws()
    {
        var options = new TrainingOptions { EarlyStopping = new EarlyStopping { Monitor = TrainingMetric.ValidationAccuracy } };
        var trainer = new Trainer<double>(ToyProblems.Classifier(1), new CategoricalCrossEntropy<double>(), new SgdOptimizer<double>(0.1), options);
        ((Action)(() => trainer.Fit(Data.X, Data.Y))).Should().Throw<ArgumentException>().Which.Message.Should().Contain("validation data");
    }

    [Fact]
    public void Fit_MonitorOfTheWrongTask_Throws()
    {
        var options = new TrainingOptions { EarlyStopping = new EarlyStopping { Monitor = TrainingMetric.ValidationRSquared } };
        var trainer = new Trainer<double>(ToyProblems.Classifier(1), new CategoricalCrossEntropy<double>(), new SgdOptimizer<double>(0.1), options);
        ((Action)(() => trainer.Fit(Data.X, Data.Y, Data.X, Data.Y))).Should().Throw<ArgumentException>().Which.Message.Should().Contain("classification");
    }

    [Fact]
    public void Options_NonsenseValues_ThrowWhereTheyAreSet()
    {
        ((Action)(() => _ = new TrainingOptions { Epochs = 0 })).Should().Throw<ArgumentOutOfRangeException>().Which.Message.Should().Contain("epochs must be ≥ 1 (received 0)");
        ((Action)(() => _ = new TrainingOptions { BatchSize = -4 })).Should().Throw<ArgumentOutOfRangeException>().Which.Message.Should().Contain("received -4");
        ((Action)(() => _ = new TrainingOptions { ValidationSplit = 1 })).Should().Throw<ArgumentOutOfRangeException>();
        ((Action)(() => _ = new TrainingOptions { ValidationSplit = double.NaN })).Should().Throw<ArgumentOutOfRangeException>();
        ((Action)(() => _ = new TrainingOptions { TargetLoss = double.NaN })).Should().Throw<ArgumentOutOfRangeException>();
        ((Action)(() => _ = new TrainingOptions { ClassWeights = [1, -2] })).Should().Throw<ArgumentOutOfRangeException>().Which.Message.Should().Contain("class 1");
        ((Action)(() => _ = new EarlyStopping { Patience = 0 })).Should().Throw<ArgumentOutOfRangeException>();
        ((Action)(() => _ = new EarlyStopping { MinDelta = -1 })).Should().Throw<ArgumentOutOfRangeException>();
        ((Action)(() => _ = new Trainer<double>(null!, new MeanSquaredError<double>(), new SgdOptimizer<double>()))).Should().Throw<ArgumentNullException>();
    }

    [Fact]
    public void Fit_ValidationSplitLeavingNoTrainingRows_Throws()
    {
        var trainer = new Trainer<double>(ToyProblems.Classifier(1), new CategoricalCrossEntropy<double>(), new SgdOptimizer<double>(0.1), new TrainingOptions { ValidationSplit = 0.9 });
        ((Action)(() => trainer.Fit(Data.X.SubMatrix(0, 1, 0, 2), Data.Y.SubMatrix(0, 1, 0, 1)))).Should().Throw<ArgumentException>().Which.Message.Should().Contain("no training samples");
    }

    private static Matrix<double> With(Matrix<double> m, int row, int column, double value)
    {
        Matrix<double> copy = m.Clone();
        copy[row, column] = value;
        return copy;
    }
}
