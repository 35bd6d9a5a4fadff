using FluentAssertions;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Optimizers;
using NeuralNet.Tests.Serialization;
using Xunit;

namespace NeuralNet.Tests.Networks;

/// <summary>Per-layer L1/L2 regularisation: in the loss and in the gradient (against finite differences), innermost layer first, biases only when asked.</summary>
public sealed class RegularizationTests
{
    /// <summary>A dense layer with L1 and L2 (biases too), a block whose inner layer overrides the block's penalty, a plain output layer.</summary>
    private static Network<double> Regularized(ulong seed = 5)
    {
        var first = new DenseLayer<double>(4, 6, new Tanh<double>()) { Regularization = new Regularization(l1: 0.01, l2: 0.02, biases: true) };
        var inner = new DenseLayer<double>(6, 6, new Sigmoid<double>()) { Regularization = new Regularization(l2: 0.05) };
        var block = new ResidualBlock<double>(inner, new LayerNormalization<double>(6)) { Regularization = new Regularization(l1: 0.03) };
        return new Network<double>(seed, first, block, new DenseLayer<double>(6, 3, new Softmax<double>()));
    }

    [Fact]
    public void Regularization_L1AndL2_NetworkGradientsMatchFiniteDifferences()
    {
        for (ulong seed = 1; seed <= 3; seed++)
        {
            Network<double> network = Regularized(seed);
            Matrix<double> x = SampleNetworks.Batch<double>(5, 4, seed);
            Matrix<double> t = Matrix<double>.Build.Dense(5, 1, (r, _) => r % 3);

            GradientCheckReport report = GradientChecker.CheckNetwork(network, x, t, new CategoricalCrossEntropy<double>());

            report.MaxRelativeError.Should().BeLessThan(1e-6, $"seed {seed}: {report}");
            network.RegularizationPenalty().Should().BeGreaterThan(0);
        }
    }

    [Fact]
    public void RegularizationPenalty_IsL1TimesSumOfMagnitudesPlusL2TimesSumOfSquares_InnermostLayerFirst()
    {
        Network<double> network = Regularized();
        var first = (DenseLayer<double>)network.Layers[0];
        var block = (ResidualBlock<double>)network.Layers[1];
        double Sum(Parameter<double> p, Func<double, double> f) => p.Values.ToArray().Sum(f);

        double expected =
            first.Parameters.Sum(p => 0.01 * Sum(p, Math.Abs) + 0.02 * Sum(p, w => w * w)) // biases too
            + 0.05 * Sum(block.Layers[0].Parameters[0], w => w * w) // the inner dense layer's own L2, weights only
            + 0.03 * Sum(block.Layers[1].Parameters[0], Math.Abs); // the layer norm's scale: the block's L1 (its shift is a bias)

        network.RegularizationPenalty().Should().BeApproximately(expected, 1e-12);
    }

    [Fact]
    public void TrainStep_ReturnsTheDataLossPlusThePenalty()
    {
        Network<double> network = Regularized();
        Matrix<double> x = SampleNetworks.Batch<double>(6, 4, 9);
        Matrix<double> t = Matrix<double>.Build.Dense(6, 1, (r, _) => r % 3);
        var loss = new CategoricalCrossEntropy<double>();
        double expected = loss.Loss(network.Forward(x, training: true), t) + network.RegularizationPenalty();

        double reported = network.TrainStep(x, t, loss, new SgdOptimizer<double>(0.1));

        reported.Should().BeApproximately(expected, 1e-12);
    }

    [Fact]
    public void L2OnEveryParameter_TrainsBitForBitLikeSgdWeightDecayOfTwiceTheStrength()
    {
        // g + 2·l2·w is exactly the coupled weight decay g + λw with λ = 2·l2: the same arithmetic, the same bits.
        static Network<double> Build(bool regularized)
        {
            Regularization? r = regularized ? new Regularization(l2: 0.005, biases: true) : null;
            return new Network<double>(3,
                new DenseLayer<double>(4, 5, new Tanh<double>()) { Regularization = r },
                new DenseLayer<double>(5, 2) { Regularization = r });
        }

        Network<double> regularized = Build(true), decayed = Build(false);
        var withPenalty = new SgdOptimizer<double>(0.1, momentum: 0.9);
        var withDecay = new SgdOptimizer<double>(0.1, momentum: 0.9, weightDecay: 0.01);
        var loss = new MeanSquaredError<double>();
        for (int i = 0; i < 10; i++)
        {
            Matrix<double> x = SampleNetworks.Batch<double>(4, 4, (ulong)i), t = SampleNetworks.Batch<double>(4, 2, (ulong)(100 + i));
            regularized.TrainStep(x, t, loss, withPenalty);
            decayed.TrainStep(x, t, loss, withDecay);
        }

        regularized.Parameters.Zip(decayed.Parameters).Should().AllSatisfy(p => p.First.Values.ToArray().Should().Equal(p.Second.Values.ToArray()));
    }

    [Fact]
    public void L1_DrivesUnneededWeightsTowardsZero()
    {
        // Only the first input matters, plus noise that the other inputs fit a little; with L1 their weights shrink far below those without.
        Matrix<double> x = SampleNetworks.Batch<double>(64, 4, 1);
        Matrix<double> noise = SampleNetworks.Batch<double>(64, 1, 2);
        Matrix<double> t = Matrix<double>.Build.Dense(64, 1, (r, _) => 0.5 * x[r, 0] + 0.2 * noise[r, 0]);
        double OtherWeights(Regularization? r)
        {
            var layer = new DenseLayer<double>(4, 1) { Regularization = r };
            var network = new Network<double>(2, layer);
            var optimizer = new SgdOptimizer<double>(0.05);
            for (int i = 0; i < 400; i++)
            {
                network.TrainStep(x, t, new MeanSquaredError<double>(), optimizer);
            }

            return Enumerable.Range(1, 3).Sum(c => Math.Abs(layer.Weights[0, c]));
        }

        OtherWeights(new Regularization(l1: 0.05)).Should().BeLessThan(0.2 * OtherWeights(null));
    }

    [Fact]
    public void Regularization_RefusesNegativeOrNonFiniteStrengths()
    {
        FluentActions.Invoking(() => new Regularization(l1: -0.1)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("l1");
        FluentActions.Invoking(() => new Regularization(l2: double.NaN)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("l2");
        new Regularization(0.1, 0.2, biases: true).ToString().Should().Be("Regularization(l1 = 0.1, l2 = 0.2, biases)");
    }
}
