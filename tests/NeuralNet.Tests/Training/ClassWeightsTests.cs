using FluentAssertions;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Optimizers;
using NeuralNet.Training;
using Xunit;

namespace NeuralNet.Tests.Training;

public sealed class ClassWeightsTests
{
    private static readonly (Matrix<double> X, Matrix<double> Y) Data = ToyProblems.Blobs(60, 1);

    [Fact]
    public void ClassWeights_EqualTheSamePerSampleWeights_BitForBit()
    {
        double[] classWeights = [2.0, 0.5, 1.0];
        var byClass = Run(new TrainingOptions { Epochs = 3, BatchSize = 8, ClassWeights = classWeights }, null);
        var bySample = Run(new TrainingOptions { Epochs = 3, BatchSize = 8 }, Vector<double>.Build.Dense(60, i => classWeights[(int)Data.Y[i, 0]]));
        byClass.Should().Equal(bySample);
    }

    [Fact]
    public void ClassWeights_MultiplyWithSampleWeights()
    {
        var sampleWeights = Vector<double>.Build.Dense(60, i => 1 + (i % 4));
        var both = Run(new TrainingOptions { Epochs = 2, ClassWeights = [3.0, 1.0, 0.5] }, sampleWeights);
        var product = Run(new TrainingOptions { Epochs = 2 }, Vector<double>.Build.Dense(60, i => sampleWeights[i] * new[] { 3.0, 1.0, 0.5 }[(int)Data.Y[i, 0]]));
        both.Should().Equal(product);
    }

    [Fact]
    public void ClassWeights_ZeroForAClass_StopsItFromBeingLearnt()
    {
        var network = ToyProblems.Classifier(1);
        var options = new TrainingOptions { Epochs = 30, BatchSize = 8, ClassWeights = [1.0, 1.0, 0.0] };
        new Trainer<double>(network, new CategoricalCrossEntropy<double>(), new SgdOptimizer<double>(0.1, 0.9), options).Fit(Data.X, Data.Y);
        int[] predicted = network.PredictClasses(Data.X);
        predicted.Where((_, i) => Data.Y[i, 0] == 2).Should().NotContain(2, "class 2 carries no weight, so the network never learns to predict it");
    }

    [Fact]
    public void ClassWeights_BinarySigmoid_TakeTwoWeights()
    {
        Matrix<double> binary = Data.Y.Map(v => v == 1 ? 1.0 : 0.0);
        var network = new Network<double>(1, new DenseLayer<double>(2, 4, new Tanh<double>()), new DenseLayer<double>(4, 1, new Sigmoid<double>()));
        var trainer = new Trainer<double>(network, new BinaryCrossEntropy<double>(), new SgdOptimizer<double>(0.1), new TrainingOptions { Epochs = 2, ClassWeights = [1.0, 2.0] });
        trainer.Fit(Data.X, binary).Epochs.Should().HaveCount(2);

        var three = new Trainer<double>(network, new BinaryCrossEntropy<double>(), new SgdOptimizer<double>(0.1), new TrainingOptions { ClassWeights = [1.0, 2.0, 3.0] });
        ((Action)(() => three.Fit(Data.X, binary))).Should().Throw<ArgumentException>().Which.Message.Should().Contain("one weight per class: 2 (received 3)");
    }

    [Fact]
    public void ClassWeights_OnARegressionLoss_Throw()
    {
        var trainer = new Trainer<double>(ToyProblems.Regressor(1), new MeanSquaredError<double>(), new SgdOptimizer<double>(0.1), new TrainingOptions { ClassWeights = [1.0, 2.0] });
        ((Action)(() => trainer.Fit(Data.X, Data.Y))).Should().Throw<ArgumentException>().Which.Message.Should().Contain("classification");
    }

    private static double[] Run(TrainingOptions options, Vector<double>? sampleWeights)
    {
        var network = ToyProblems.Classifier(7);
        var trainer = new Trainer<double>(network, new CategoricalCrossEntropy<double>(), new SgdOptimizer<double>(0.1, 0.9), options);
        TrainingHistory history = trainer.Fit(Data.X, Data.Y, sampleWeights: sampleWeights);
        return [.. history.Epochs.Select(e => e.TrainingLoss), .. ToyProblems.Weights(network)];
    }
}
