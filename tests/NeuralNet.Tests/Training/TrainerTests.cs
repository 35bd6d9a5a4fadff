using FluentAssertions;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Data;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Optimizers;
using NeuralNet.Training;
using Xunit;

namespace NeuralNet.Tests.Training;

public sealed class TrainerTests
{
    [Fact]
    public void Fit_LearnsBlobs_AndRecordsOneEpochEach()
    {
        (Matrix<double> x, Matrix<double> y) = ToyProblems.Blobs(150, 1);
        var network = ToyProblems.Classifier(2);
        TrainingHistory history = new Trainer<double>(network, new CategoricalCrossEntropy<double>(), new SgdOptimizer<double>(0.1, 0.9), new TrainingOptions { Epochs = 20, BatchSize = 16 }).Fit(x, y);
        history.Epochs.Select(e => e.Epoch).Should().Equal(Enumerable.Range(1, 20));
        history.Epochs[^1].TrainingLoss.Should().BeLessThan(history.Epochs[0].TrainingLoss / 5);
        history.Epochs[^1].TrainingAccuracy.Should().BeGreaterThan(0.95);
        history.Epochs[^1].TrainingRmse.Should().BeNull();
        history.StopReason.Should().Be(StopReason.MaxEpochs);
        ClassificationMetrics.Accuracy(ClassLabels.FromIndices(y), network.PredictClasses(x)).Should().BeGreaterThan(0.95);
    }

    [Fact]
    public void Fit_SameSeeds_GiveTheSameHistoryAndWeightsBitForBit()
    {
        (double[] Losses, double[] Weights) Run()
        {
            (Matrix<double> x, Matrix<double> y) = ToyProblems.Blobs(90, 1);
            var network = ToyProblems.Classifier(3);
            var options = new TrainingOptions { Epochs = 5, BatchSize = 7, Random = new RandomSource(11), ValidationSplit = 0.2 };
            TrainingHistory h = new Trainer<double>(network, new CategoricalCrossEntropy<double>(), new AdamOptimizer<double>(0.01), options).Fit(x, y);
            return (h.Epochs.SelectMany(e => new[] { e.TrainingLoss, e.ValidationLoss!.Value }).ToArray(), ToyProblems.Weights(network));
        }

        var first = Run();
        var second = Run();
        first.Losses.Should().Equal(second.Losses);
        first.Weights.Should().Equal(second.Weights);
    }

    [Fact]
    public void Fit_VisitsEverySampleOncePerEpoch_InANewSeededOrder_KeepingTheLastSmallerBatch()
    {
        var recorder = new RecordingLayer(2);
        var network = new Network<double>(1, recorder, new DenseLayer<double>(2, 1));
        var x = Matrix<double>.Build.Dense(10, 2, (i, c) => c == 0 ? i : 1);
        var y = Matrix<double>.Build.Dense(10, 1);
        new Trainer<double>(network, new MeanSquaredError<double>(), new SgdOptimizer<double>(0.01), new TrainingOptions { Epochs = 3, BatchSize = 4, Random = new RandomSource(5) }).Fit(x, y);

        recorder.Batches.Select(b => b.Length).Should().Equal(4, 4, 2, 4, 4, 2, 4, 4, 2);
        double[][] epochs = [.. Enumerable.Range(0, 3).Select(e => recorder.Batches.Skip(3 * e).Take(3).SelectMany(b => b).ToArray())];
        foreach (double[] order in epochs)
        {
            order.Order().Should().Equal(Enumerable.Range(0, 10).Select(i => (double)i));
        }

        epochs[0].Should().NotEqual(epochs[1]);
        epochs[1].Should().NotEqual(epochs[2]);
    }

    [Fact]
    public void Fit_WithoutShuffle_VisitsSamplesInOrder()
    {
        var recorder = new RecordingLayer(1);
        var network = new Network<double>(1, recorder, new DenseLayer<double>(1, 1));
        var x = Matrix<double>.Build.Dense(5, 1, (i, _) => i);
        new Trainer<double>(network, new MeanSquaredError<double>(), new SgdOptimizer<double>(0.01), new TrainingOptions { Epochs = 2, BatchSize = 2, Shuffle = false }).Fit(x, Matrix<double>.Build.Dense(5, 1));
        recorder.Batches.SelectMany(b => b).Should().Equal(0, 1, 2, 3, 4, 0, 1, 2, 3, 4);
    }

    [Fact]
    public void Fit_EpochTrainingLoss_IsTheSampleWeightedMeanOverAllBatches()
    {
        // With a negligible learning rate the weights stay put, so the epoch loss must equal the loss of the whole set.
        (Matrix<double> x, Matrix<double> y) = ToyProblems.Linear(23, 4);
        var network = ToyProblems.Regressor(5);
        double expected = new MeanSquaredError<double>().Loss(network.Predict(x), y);
        TrainingHistory history = new Trainer<double>(network, new MeanSquaredError<double>(), new SgdOptimizer<double>(1e-300), new TrainingOptions { Epochs = 1, BatchSize = 5 }).Fit(x, y);
        history.Epochs[0].TrainingLoss.Should().BeApproximately(expected, 1e-12);
    }

    [Fact]
    public void Fit_BatchSizeOneOrLargerThanTheData_Works()
    {
        (Matrix<double> x, Matrix<double> y) = ToyProblems.Linear(12, 4);
        foreach (int batchSize in new[] { 1, 100 })
        {
            var progress = new List<TrainingProgress>();
            var options = new TrainingOptions { Epochs = 2, BatchSize = batchSize, Progress = new SynchronousProgress<TrainingProgress>(progress.Add) };
            new Trainer<double>(ToyProblems.Regressor(1), new MeanSquaredError<double>(), new SgdOptimizer<double>(0.01), options).Fit(x, y);
            progress.Should().HaveCount(batchSize == 1 ? 24 : 2);
            progress[^1].Fraction.Should().Be(1);
        }
    }

    [Fact]
    public void Fit_Regression_RecordsRmseAndRSquared_ValidationMatchingDataMetrics()
    {
        (Matrix<double> x, Matrix<double> y) = ToyProblems.Linear(120, 4);
        (Matrix<double> vx, Matrix<double> vy) = ToyProblems.Linear(40, 9);
        var network = ToyProblems.Regressor(5);
        TrainingHistory history = new Trainer<double>(network, new MeanSquaredError<double>(), new AdamOptimizer<double>(0.02), new TrainingOptions { Epochs = 40, BatchSize = 16 }).Fit(x, y, vx, vy);
        EpochRecord last = history.Epochs[^1];
        last.TrainingAccuracy.Should().BeNull();
        last.TrainingRSquared.Should().BeGreaterThan(0.9);
        Matrix<double> predicted = network.Predict(vx);
        last.ValidationRSquared.Should().BeApproximately(RegressionMetrics.RSquared(vy, predicted), 1e-12);
        last.ValidationRmse.Should().BeApproximately(RegressionMetrics.RootMeanSquaredError(vy, predicted), 1e-12);
        last.ValidationLoss.Should().BeApproximately(new MeanSquaredError<double>().Loss(predicted, vy), 1e-12);
    }

    [Fact]
    public void Fit_ValidationSplit_HoldsOutThatShareOfTheTrainingRows()
    {
        (Matrix<double> x, Matrix<double> y) = ToyProblems.Blobs(100, 1);
        var progress = new List<TrainingProgress>();
        var options = new TrainingOptions { Epochs = 1, BatchSize = 1, ValidationSplit = 0.25, Progress = new SynchronousProgress<TrainingProgress>(progress.Add) };
        TrainingHistory history = new Trainer<double>(ToyProblems.Classifier(1), new CategoricalCrossEntropy<double>(), new SgdOptimizer<double>(0.05), options).Fit(x, y);
        progress.Should().HaveCount(75);
        history.Epochs[0].ValidationAccuracy.Should().NotBeNull();
    }

    [Fact]
    public void Fit_Float_TrainsToo()
    {
        (Matrix<double> x, Matrix<double> y) = ToyProblems.Blobs(60, 1);
        var network = new Network<float>(1, new DenseLayer<float>(2, 8, new ReLU<float>()), new DenseLayer<float>(8, 3, new Softmax<float>()));
        TrainingHistory history = new Trainer<float>(network, new CategoricalCrossEntropy<float>(), new RmsPropOptimizer<float>(0.01), new TrainingOptions { Epochs = 15, BatchSize = 8 }).Fit(x.Map(v => (float)v), y.Map(v => (float)v));
        history.Epochs[^1].TrainingAccuracy.Should().BeGreaterThan(0.9);
    }

    [Fact]
    public void Fit_OneHotTargetsAndBinarySigmoid_RecordAccuracy()
    {
        (Matrix<double> x, Matrix<double> y) = ToyProblems.Blobs(60, 1);
        TrainingHistory oneHot = new Trainer<double>(ToyProblems.Classifier(1), new CategoricalCrossEntropy<double>(), new SgdOptimizer<double>(0.1, 0.9), new TrainingOptions { Epochs = 10 }).Fit(x, OneHot.Encode(y, 3));
        oneHot.Epochs[^1].TrainingAccuracy.Should().BeGreaterThan(0.9);

        Matrix<double> binary = y.Map(v => v == 1 ? 1.0 : 0.0);
        var network = new Network<double>(1, new DenseLayer<double>(2, 8, new Tanh<double>()), new DenseLayer<double>(8, 1, new Sigmoid<double>()));
        TrainingHistory sigmoid = new Trainer<double>(network, new BinaryCrossEntropy<double>(), new SgdOptimizer<double>(0.1, 0.9), new TrainingOptions { Epochs = 10 }).Fit(x, binary);
        sigmoid.Epochs[^1].TrainingAccuracy.Should().BeGreaterThan(0.9);
    }
}

public sealed class TrainerEvaluateTests
{
    [Fact]
    public void Evaluate_Classifier_GivesLossAndAccuracyOfThePredictions()
    {
        (Matrix<double> x, Matrix<double> y) = ToyProblems.Blobs(60, 1);
        var network = ToyProblems.Classifier(1);
        var trainer = new Trainer<double>(network, new CategoricalCrossEntropy<double>(), new SgdOptimizer<double>(0.1, 0.9), new TrainingOptions { Epochs = 5 });
        trainer.Fit(x, y);
        double[] before = ToyProblems.Weights(network);
        Evaluation evaluation = trainer.Evaluate(x, y);
        evaluation.Loss.Should().BeApproximately(new CategoricalCrossEntropy<double>().Loss(network.Predict(x), y), 1e-12);
        evaluation.Accuracy.Should().Be(ClassificationMetrics.Accuracy(ClassLabels.FromIndices(y), network.PredictClasses(x)));
        evaluation.Rmse.Should().BeNull();
        ToyProblems.Weights(network).Should().Equal(before);
    }

    [Fact]
    public void Evaluate_Regression_GivesRmseAndRSquared()
    {
        (Matrix<double> x, Matrix<double> y) = ToyProblems.Linear(30, 1);
        var network = ToyProblems.Regressor(1);
        Evaluation evaluation = new Trainer<double>(network, new MeanSquaredError<double>(), new SgdOptimizer<double>(0.1)).Evaluate(x, y);
        evaluation.RSquared.Should().BeApproximately(RegressionMetrics.RSquared(y, network.Predict(x)), 1e-12);
        evaluation.Rmse.Should().BeApproximately(RegressionMetrics.RootMeanSquaredError(y, network.Predict(x)), 1e-12);
        evaluation.Accuracy.Should().BeNull();
        ((Action)(() => new Trainer<double>(network, new MeanSquaredError<double>(), new SgdOptimizer<double>()).Evaluate(x, Matrix<double>.Build.Dense(29, 1)))).Should().Throw<ArgumentException>().Which.ParamName.Should().Be("targets");
    }
}
