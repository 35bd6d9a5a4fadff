using FluentAssertions;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Optimizers;
using Xunit;

namespace NeuralNet.Tests.Networks;

public sealed class LearningTests
{
    private static readonly Matrix<double> XorInputs = Matrix<double>.Build.DenseOfArray(new double[,] { { 0, 0 }, { 0, 1 }, { 1, 0 }, { 1, 1 } });
    private static readonly Matrix<double> XorTargets = Matrix<double>.Build.DenseOfArray(new double[,] { { 0 }, { 1 }, { 1 }, { 0 } });

    [Fact]
    public void Xor_IsLearnedCompletely_FromAFixedSeed()
    {
        var network = new Network<double>(7, new DenseLayer<double>(2, 4, new Tanh<double>()), new DenseLayer<double>(4, 1, new Sigmoid<double>()));
        var loss = new BinaryCrossEntropy<double>();
        var sgd = new SgdOptimizer<double>(learningRate: 0.5, momentum: 0.9);
        double first = network.TrainStep(XorInputs, XorTargets, loss, sgd);
        double last = first;
        for (int epoch = 1; epoch < 500; epoch++)
        {
            last = network.TrainStep(XorInputs, XorTargets, loss, sgd);
        }

        Matrix<double> predicted = network.Predict(XorInputs);
        for (int i = 0; i < 4; i++)
        {
            (predicted[i, 0] > 0.5 ? 1.0 : 0.0).Should().Be(XorTargets[i, 0], $"XOR of row {i}, predicted {predicted[i, 0]:F4}");
        }

        last.Should().BeLessThan(first / 10, "the loss falls by more than a factor of ten");
    }

    [Fact]
    public void SeedExample_PredictionMovesMonotonicallyTowardsOne()
    {
        // The seed's story: inputs (9, 7, 8) scaled by 1/10, target 1, sigmoid units, MSE, one sample per step.
        var network = new Network<double>(2026, new DenseLayer<double>(3, 4, new Sigmoid<double>()), new DenseLayer<double>(4, 1, new Sigmoid<double>()));
        var x = Matrix<double>.Build.DenseOfArray(new double[,] { { 0.9, 0.7, 0.8 } });
        var y = Matrix<double>.Build.DenseOfArray(new double[,] { { 1 } });
        var sgd = new SgdOptimizer<double>(learningRate: 0.5);
        double previous = network.Predict(x)[0, 0];
        previous.Should().BeInRange(0.05, 0.95, "an untrained network predicts neither 0 nor 1");
        double previousLoss = double.MaxValue;
        for (int epoch = 0; epoch < 300; epoch++)
        {
            double loss = network.TrainStep(x, y, new MeanSquaredError<double>(), sgd);
            double prediction = network.Predict(x)[0, 0];
            prediction.Should().BeGreaterThan(previous, $"epoch {epoch} moves the prediction towards 1");
            loss.Should().BeLessThan(previousLoss, $"epoch {epoch} lowers the loss");
            (previous, previousLoss) = (prediction, loss);
        }

        previous.Should().BeGreaterThan(0.95);
    }

    [Fact]
    public void SameSeed_GivesBitIdenticalWeightsAfterTraining_InDoubleAndFloat()
    {
        Train<double>(99).Should().Equal(Train<double>(99));
        Train<float>(99).Should().Equal(Train<float>(99));
        Train<double>(99).Should().NotEqual(Train<double>(100), "another seed gives other weights");

        static T[] Train<T>(ulong seed)
            where T : struct, System.Numerics.IFloatingPointIeee754<T>
        {
            var network = new Network<T>(seed, new DenseLayer<T>(2, 8, new ReLU<T>()), new DropoutLayer<T>(8, 0.2), new DenseLayer<T>(8, 1, new Sigmoid<T>()));
            var sgd = new SgdOptimizer<T>(learningRate: 0.3, momentum: 0.9, nesterov: true, weightDecay: 1e-4);
            Matrix<T> x = RandomMatrices.To<T>(XorInputs), t = RandomMatrices.To<T>(XorTargets);
            for (int i = 0; i < 100; i++)
            {
                network.TrainStep(x, t, new BinaryCrossEntropy<T>(), sgd);
            }

            return network.Parameters.SelectMany(p => p.Values.ToArray()).ToArray();
        }
    }
}
