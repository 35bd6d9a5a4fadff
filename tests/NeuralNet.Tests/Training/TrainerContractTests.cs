using FluentAssertions;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Optimizers;
using NeuralNet.Training;
using Xunit;

namespace NeuralNet.Tests.Training;

/// <summary>
/// Behaviour of <see cref="Trainer{T}"/> and its early stopping that mutation testing (Stryker.NET) found no test
/// pinning down: each test fails when a line is changed the way a surviving mutant changed it.
/// </summary>
public sealed class TrainerContractTests
{
    private static readonly (Matrix<double> X, Matrix<double> Y) Data = ToyProblems.Blobs(30, 3);

    [Fact]
    public void EarlyStopping_OnAMonitorThatNeverChanges_KeepsTheFirstEpoch_AndStopsAfterPatience()
    {
        // A frozen network has the same loss every epoch: an equal value is no improvement, so epoch 1 stays the best.
        Network<double> network = ToyProblems.Classifier(1);
        foreach (Layer<double> layer in network.Layers)
        {
            layer.Frozen = true;
        }

        var options = new TrainingOptions { Epochs = 20, BatchSize = 10, EarlyStopping = new EarlyStopping { Monitor = TrainingMetric.ValidationLoss, Patience = 2 } };
        TrainingHistory history = new Trainer<double>(network, new CategoricalCrossEntropy<double>(), new SgdOptimizer<double>(0.1), options).Fit(Data.X, Data.Y, Data.X, Data.Y);

        history.Epochs.Select(e => e.ValidationLoss).Distinct().Should().HaveCount(1);
        history.BestEpoch.Should().Be(1);
        history.Epochs.Should().HaveCount(3);
        history.StopReason.Should().Be(StopReason.EarlyStopping);
    }

    [Fact]
    public void Evaluate_BinaryCrossEntropy_IsAClassifier_GivingAccuracyNotRmse()
    {
        var network = new Network<double>(2, new DenseLayer<double>(2, 1, new Sigmoid<double>()));
        Matrix<double> x = Data.X;
        Matrix<double> t = Data.Y.Map(v => v == 0 ? 1.0 : 0.0);
        var trainer = new Trainer<double>(network, new BinaryCrossEntropy<double>(), new SgdOptimizer<double>(0.1));

        Evaluation evaluation = trainer.Evaluate(x, t);

        Matrix<double> p = network.Predict(x);
        double expected = Enumerable.Range(0, x.RowCount).Count(r => (p[r, 0] >= 0.5 ? 1.0 : 0.0) == t[r, 0]) / (double)x.RowCount;
        evaluation.Accuracy.Should().BeApproximately(expected, 1e-12);
        evaluation.Rmse.Should().BeNull();
        evaluation.RSquared.Should().BeNull();
        evaluation.Loss.Should().BeApproximately(new BinaryCrossEntropy<double>().Loss(p, t), 1e-12);
    }

    [Fact]
    public void Evaluate_RunsInEvaluationMode_AndChangesNothing()
    {
        var network = new Network<double>(4, new DenseLayer<double>(2, 16, new Tanh<double>()), new DropoutLayer<double>(16, 0.5), new DenseLayer<double>(16, 1));
        var trainer = new Trainer<double>(network, new MeanSquaredError<double>(), new SgdOptimizer<double>(0.1));
        (Matrix<double> x, Matrix<double> y) = ToyProblems.Linear(20, 5);
        double[] before = ToyProblems.Weights(network);

        Evaluation first = trainer.Evaluate(x, y), second = trainer.Evaluate(x, y);

        first.Loss.Should().Be(new MeanSquaredError<double>().Loss(network.Predict(x), y));
        second.Should().BeEquivalentTo(first);
        first.Accuracy.Should().BeNull();
        first.Rmse.Should().BeApproximately(Math.Sqrt(first.Loss), 1e-12);
        ToyProblems.Weights(network).Should().Equal(before);
    }

    [Fact]
    public void Evaluate_WrongShapes_AreRefusedNamingTheArgument()
    {
        var trainer = new Trainer<double>(ToyProblems.Classifier(1), new CategoricalCrossEntropy<double>(), new SgdOptimizer<double>(0.1));

        FluentActions.Invoking(() => trainer.Evaluate(Matrix<double>.Build.Dense(3, 3), Matrix<double>.Build.Dense(3, 1))).Should().Throw<ArgumentException>().WithParameterName("inputs");
        FluentActions.Invoking(() => trainer.Evaluate(Matrix<double>.Build.Dense(3, 2), Matrix<double>.Build.Dense(4, 1))).Should().Throw<ArgumentException>().WithParameterName("targets");
        FluentActions.Invoking(() => trainer.Evaluate(null!, Matrix<double>.Build.Dense(4, 1))).Should().Throw<ArgumentNullException>().WithParameterName("inputs");
        FluentActions.Invoking(() => trainer.Evaluate(Matrix<double>.Build.Dense(3, 2), (Matrix<double>)null!)).Should().Throw<ArgumentNullException>().WithParameterName("targets");
    }

    [Fact]
    public void ClassIndexEntries_GivenNullIndices_AreRefusedNamingThem()
    {
        // Without their own check, LINQ's Select would refuse the null naming its "source".
        var trainer = new Trainer<double>(ToyProblems.Classifier(1), new CategoricalCrossEntropy<double>(), new SgdOptimizer<double>(0.1));
        double[][] rows = [[0.0, 1.0]];

        FluentActions.Invoking(() => trainer.Fit(rows, (int[])null!)).Should().Throw<ArgumentNullException>().WithParameterName("classIndices");
        FluentActions.Invoking(() => trainer.Evaluate(rows, (int[])null!)).Should().Throw<ArgumentNullException>().WithParameterName("classIndices");
        FluentActions.Invoking(() => trainer.Network.TrainStep(rows, (int[])null!, trainer.Loss, trainer.Optimizer)).Should().Throw<ArgumentNullException>().WithParameterName("classIndices");
        FluentActions.Invoking(() => trainer.Fit((NeuralNet.Data.Dataset<double>)null!)).Should().Throw<ArgumentNullException>().WithParameterName("training");
    }

    [Fact]
    public void NullArguments_OfTheTrainerAndOfEarlyStopping_AreRefusedNamingThem()
    {
        Network<double> network = ToyProblems.Classifier(1);
        FluentActions.Invoking(() => new Trainer<double>(network, null!, new SgdOptimizer<double>(0.1))).Should().Throw<ArgumentNullException>().WithParameterName("loss");
        FluentActions.Invoking(() => new Trainer<double>(network, new CategoricalCrossEntropy<double>(), null!)).Should().Throw<ArgumentNullException>().WithParameterName("optimizer");
        FluentActions.Invoking(() => new EarlyStoppingCallback<double>(null!)).Should().Throw<ArgumentNullException>().WithParameterName("settings");

        var early = new EarlyStoppingCallback<double>(new EarlyStopping { MonitorName = "loss" });
        FluentActions.Invoking(() => early.OnTrainBegin(null!)).Should().Throw<ArgumentNullException>().WithParameterName("context");
        FluentActions.Invoking(() => early.OnEpochEnd(null!)).Should().Throw<ArgumentNullException>().WithParameterName("context");
        FluentActions.Invoking(() => early.OnTrainEnd(null!)).Should().Throw<ArgumentNullException>().WithParameterName("context");
    }

    [Fact]
    public void EarlyStopping_WithAMonitorChosen_FollowsIt_EvenWithValidationData()
    {
        // The validation targets are the training classes shifted by one: as training fits them, the validation loss rises
        // (its best epoch is early) while the training loss falls to its best in the last epoch.
        Matrix<double> shifted = Data.Y.Map(v => (v + 1) % 3);
        var options = new TrainingOptions { Epochs = 6, BatchSize = 10, EarlyStopping = new EarlyStopping { Monitor = TrainingMetric.TrainingLoss, Patience = 50 } };

        var trainer = new Trainer<double>(ToyProblems.Classifier(2), new CategoricalCrossEntropy<double>(), new SgdOptimizer<double>(0.1), options);
        TrainingHistory history = trainer.Fit(Data.X, Data.Y, Data.X, shifted);

        double[] losses = history.Epochs.Select(e => e.TrainingLoss).ToArray();
        double[] validation = history.Epochs.Select(e => e.ValidationLoss!.Value).ToArray();
        Array.IndexOf(validation, validation.Min()).Should().NotBe(Array.IndexOf(losses, losses.Min()), "the test needs the two monitors to disagree");
        history.BestEpoch.Should().Be(Array.IndexOf(losses, losses.Min()) + 1).And.Be(6);
        trainer.State!.LastEpochWeights.Should().BeNull("the best epoch is the last one: nothing was put back");
    }

    [Fact]
    public void Evaluate_MeasuresOnlyTheDataItIsGiven_AndReportsEveryMetricByName()
    {
        // Metrics given in the options are the same objects at every call: each evaluation must reset them.
        var trainer = new Trainer<double>(ToyProblems.Classifier(1), new CategoricalCrossEntropy<double>(), new SgdOptimizer<double>(0.1), new TrainingOptions { Metrics = [new NeuralNet.Metrics.Accuracy()] });
        Matrix<double> wrong = Data.Y.Map(v => (v + 1) % 3);

        Evaluation first = trainer.Evaluate(Data.X, Data.Y);
        Evaluation second = trainer.Evaluate(Data.X, wrong);
        Evaluation again = trainer.Evaluate(Data.X, Data.Y);

        again.Accuracy.Should().Be(first.Accuracy, "the metrics are reset before each evaluation");
        second.Accuracy.Should().NotBe(first.Accuracy);
        first.Metrics.Should().ContainKey("accuracy").WhoseValue.Should().Be(first.Accuracy!.Value);

        var regression = new Trainer<double>(new Network<double>(1, new DenseLayer<double>(2, 1)), new MeanSquaredError<double>(), new SgdOptimizer<double>(0.1));
        Matrix<double> y = Data.X.SubMatrix(0, Data.X.RowCount, 0, 1);
        Evaluation fit = regression.Evaluate(Data.X, y);
        fit.Rmse.Should().Be(fit.Metrics["rmse"]).And.BeApproximately(Math.Sqrt(fit.Loss), 1e-9);
        fit.RSquared.Should().Be(fit.Metrics["r2"]);
    }

    [Fact]
    public void Evaluate_WithAMetricThatDoesNotFitTheNetwork_IsRefusedNamingTheOptions()
    {
        var trainer = new Trainer<double>(ToyProblems.Classifier(1), new CategoricalCrossEntropy<double>(), new SgdOptimizer<double>(0.1), new TrainingOptions { Metrics = [new NeuralNet.Metrics.RocAuc()] });

        FluentActions.Invoking(() => trainer.Evaluate(Data.X, Data.Y)).Should().Throw<ArgumentException>().WithParameterName("options");
    }

    [Fact]
    public void Constructor_KeepsWhatItWasGiven_AndDefaultsTheOptions()
    {
        Network<double> network = ToyProblems.Classifier(1);
        var loss = new CategoricalCrossEntropy<double>();
        var sgd = new SgdOptimizer<double>(0.1);
        var options = new TrainingOptions { Epochs = 3 };

        var trainer = new Trainer<double>(network, loss, sgd, options);
        var defaults = new Trainer<double>(network, loss, sgd);

        (trainer.Network, trainer.Loss, trainer.Optimizer, trainer.Options).Should().Be((network, loss, sgd, options));
        defaults.Options.Should().NotBeNull();
        defaults.Options.Epochs.Should().Be(new TrainingOptions().Epochs);
        Trainer<double>.CallbackTypeName(new EarlyStoppingCallback<double>(new EarlyStopping())).Should().Be("EarlyStoppingCallback");
    }

    [Fact]
    public void EarlyStopping_OnAMetricThatIsUndefinedEveryEpoch_PicksNoBestEpoch_AndKeepsTheLastWeights()
    {
        // Validation rows of one class: ROC AUC is NaN every epoch. No epoch is best, so nothing is put back at the end.
        var network = new Network<double>(2, new DenseLayer<double>(2, 4, new Tanh<double>()), new DenseLayer<double>(4, 1, new Sigmoid<double>()));
        Matrix<double> t = Data.Y.Map(v => v == 0 ? 1.0 : 0.0);
        var options = new TrainingOptions
        {
            Epochs = 10, BatchSize = 10, Metrics = [new NeuralNet.Metrics.RocAuc()],
            EarlyStopping = new EarlyStopping { MonitorName = "val_auc", Patience = 2 },
        };
        var trainer = new Trainer<double>(network, new BinaryCrossEntropy<double>(), new SgdOptimizer<double>(0.1), options);
        double[] last = [];
        trainer.EpochCompleted += (_, _) => last = ToyProblems.Weights(network);

        TrainingHistory history = trainer.Fit(Data.X, t, Data.X, Matrix<double>.Build.Dense(Data.X.RowCount, 1, 1.0));

        history.Epochs.Should().OnlyContain(e => double.IsNaN(e.Metrics["val_auc"]));
        history.BestEpoch.Should().Be(0);
        history.Epochs.Should().HaveCount(2, "two epochs without an improvement end the run");
        history.StopReason.Should().Be(StopReason.EarlyStopping);
        ToyProblems.Weights(network).Should().Equal(last);
    }

    [Fact]
    public void EarlyStopping_WithoutValidationData_MonitorsTheTrainingLoss()
    {
        var options = new TrainingOptions { Epochs = 6, BatchSize = 10, EarlyStopping = new EarlyStopping { Patience = 50 } };
        TrainingHistory history = new Trainer<double>(ToyProblems.Classifier(2), new CategoricalCrossEntropy<double>(), new SgdOptimizer<double>(0.1), options).Fit(Data.X, Data.Y);

        double[] losses = history.Epochs.Select(e => e.TrainingLoss).ToArray();
        history.BestEpoch.Should().Be(Array.IndexOf(losses, losses.Min()) + 1);
        history.StopReason.Should().Be(StopReason.MaxEpochs);
    }
}
