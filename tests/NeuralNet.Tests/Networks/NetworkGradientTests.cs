using FluentAssertions;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Tests.Activations;
using Xunit;

namespace NeuralNet.Tests.Networks;

public sealed class NetworkGradientTests
{
    [Theory]
    [InlineData("mse", "tanh", "identity")]
    [InlineData("huber", "elu", "identity")]
    [InlineData("bce", "relu", "sigmoid")]          // fused sigmoid + BCE
    [InlineData("bce_logits", "gelu", "identity")]
    [InlineData("cce", "silu", "softmax")]           // fused softmax + CE
    [InlineData("cce_logits", "softplus", "identity")]
    [InlineData("mse", "selu", "softmax")]           // softmax Jacobian, not fused
    public void Network_Backward_MatchesFiniteDifferences(string loss, string hidden, string output)
    {
        for (ulong seed = 1; seed <= 3; seed++)
        {
            var random = new RandomSource(seed);
            int batch = 1 + random.NextInt(4), inputs = 2 + random.NextInt(3), width = 2 + random.NextInt(4), outputs = 2 + random.NextInt(2);
            var network = new Network<double>(
                seed,
                new DenseLayer<double>(inputs, width, ActivationGradientTests.Named<double>(hidden)),
                new DenseLayer<double>(width, width, new Tanh<double>()),
                new DenseLayer<double>(width, outputs, ActivationGradientTests.Named<double>(output)));
            Matrix<double> x = RandomMatrices.Uniform<double>(random, batch, inputs, -2, 2);
            (LossFunction<double> f, Matrix<double> t) = loss switch
            {
                "mse" => ((LossFunction<double>)new MeanSquaredError<double>(), RandomMatrices.Uniform<double>(random, batch, outputs)),
                "huber" => (new Huber<double>(0.5), RandomMatrices.Uniform<double>(random, batch, outputs, -3, 3)),
                "bce" => (new BinaryCrossEntropy<double>(), RandomMatrices.Uniform<double>(random, batch, outputs, 0, 1)),
                "bce_logits" => (new BinaryCrossEntropy<double>(fromLogits: true), RandomMatrices.Uniform<double>(random, batch, outputs, 0, 1)),
                "cce" => (new CategoricalCrossEntropy<double>(), RandomMatrices.OneHot<double>(random, batch, outputs)),
                _ => (new CategoricalCrossEntropy<double>(fromLogits: true), Matrix<double>.Build.Dense(batch, 1, (_, _) => random.NextInt(outputs))),
            };
            GradientCheckReport report = GradientChecker.CheckNetwork(network, x, t, f);
            report.MaxRelativeError.Should().BeLessThan(1e-6, $"seed {seed}: {report}");
        }
    }

    [Fact]
    public void Float_Training_FollowsDouble()
    {
        // The same network and data in both precisions: after 20 SGD steps the float weights stay
        // within float rounding of the double ones.
        (Network<double> n64, Network<float> n32) = (Build<double>(), Build<float>());
        var random = new RandomSource(5);
        Matrix<double> x = RandomMatrices.Uniform<double>(random, 8, 4);
        Matrix<double> t = RandomMatrices.OneHot<double>(random, 8, 3);
        var sgd64 = new NeuralNet.Optimizers.SgdOptimizer<double>(0.1, momentum: 0.9);
        var sgd32 = new NeuralNet.Optimizers.SgdOptimizer<float>(0.1, momentum: 0.9);
        for (int i = 0; i < 20; i++)
        {
            n64.TrainStep(x, t, new CategoricalCrossEntropy<double>(), sgd64);
            n32.TrainStep(RandomMatrices.To<float>(x), RandomMatrices.To<float>(t), new CategoricalCrossEntropy<float>(), sgd32);
        }

        for (int p = 0; p < n64.Parameters.Count; p++)
        {
            double[] w64 = n64.Parameters[p].Values.ToArray();
            float[] w32 = n32.Parameters[p].Values.ToArray();
            for (int i = 0; i < w64.Length; i++)
            {
                w32[i].Should().BeApproximately((float)w64[i], 1e-4f, $"parameter {p}, entry {i}");
            }
        }

        static Network<T> Build<T>()
            where T : struct, System.Numerics.IFloatingPointIeee754<T>
            => new(42, new DenseLayer<T>(4, 6, new Tanh<T>()), new DenseLayer<T>(6, 3, new Softmax<T>()));
    }
}
