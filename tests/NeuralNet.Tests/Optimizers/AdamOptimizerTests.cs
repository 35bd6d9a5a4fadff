using FluentAssertions;
using NeuralNet.Optimizers;
using Xunit;

namespace NeuralNet.Tests.Optimizers;

/// <summary>
/// Adam against a plain scalar reference written here from the algorithm box of PyTorch's
/// <c>torch.optim.Adam</c> documentation (amsgrad off, maximize off), one value at a time in double.
/// </summary>
public sealed class AdamOptimizerTests
{
    [Theory]
    [InlineData(0.001, 0.9, 0.999, 1e-8, 0.0)]
    [InlineData(0.05, 0.8, 0.99, 1e-6, 0.1)]
    public void Adam_FiveSteps_MatchScalarReference(double lr, double beta1, double beta2, double eps, double weightDecay)
    {
        double[][] actual = OptimizerTrajectory.Run(new AdamOptimizer<double>(lr, beta1, beta2, eps, weightDecay));
        double[][] expected = Reference(lr, beta1, beta2, eps, weightDecay, decoupled: false);
        for (int t = 0; t < expected.Length; t++)
        {
            actual[t].Should().Equal(expected[t], (a, e) => Math.Abs(a - e) <= 1e-12 * Math.Max(1, Math.Abs(e)), $"step {t + 1}");
        }
    }

    [Fact]
    public void Adam_FirstStep_MovesEachWeightByTheLearningRateAgainstItsGradientSign()
    {
        // After one step m̂ = g and v̂ = g², so p₁ = p₀ − η·g/(|g| + ε) ≈ p₀ − η·sign(g); a zero gradient leaves p.
        double[][] actual = OptimizerTrajectory.Run(new AdamOptimizer<double>(learningRate: 0.01));
        actual[0].Should().Equal([0.5 - 0.01, -1.25 + 0.01, 2.0 - 0.01, 0.0], (a, e) => Math.Abs(a - e) < 1e-8);
    }

    [Fact]
    public void Adam_Defaults_ArePyTorchs()
    {
        var adam = new AdamOptimizer<float>();
        (adam.LearningRate, adam.Beta1, adam.Beta2, adam.Epsilon, adam.WeightDecay).Should().Be((0.001, 0.9, 0.999, 1e-8, 0.0));
        adam.Name.Should().Be("adam");
    }

    [Theory]
    [InlineData(0.0, 0.9, 0.999, 1e-8, "learningRate")]
    [InlineData(0.001, 1.0, 0.999, 1e-8, "beta1")]
    [InlineData(0.001, -0.1, 0.999, 1e-8, "beta1")]
    [InlineData(0.001, 0.9, 1.0, 1e-8, "beta2")]
    [InlineData(0.001, 0.9, 0.999, 0.0, "epsilon")]
    [InlineData(0.001, 0.9, 0.999, double.NaN, "epsilon")]
    public void Adam_NonsenseHyperParameters_Throw(double lr, double beta1, double beta2, double eps, string name)
    {
        Action create = () => _ = new AdamOptimizer<double>(lr, beta1, beta2, eps);
        create.Should().Throw<ArgumentOutOfRangeException>().Which.Message.Should().ContainEquivalentOf(name);
    }

    /// <summary>The scalar algorithm; with <paramref name="decoupled"/> it is AdamW's (decay first, on the value).</summary>
    internal static double[][] Reference(double lr, double beta1, double beta2, double eps, double weightDecay, bool decoupled)
    {
        double[] p = (double[])OptimizerTrajectory.Start.Clone();
        double[] m = new double[p.Length], v = new double[p.Length];
        var trajectory = new double[OptimizerTrajectory.Gradients.Length][];
        for (int t = 1; t <= trajectory.Length; t++)
        {
            for (int i = 0; i < p.Length; i++)
            {
                double g = OptimizerTrajectory.Gradients[t - 1][i];
                if (decoupled)
                {
                    p[i] = p[i] - (lr * weightDecay * p[i]);
                }
                else
                {
                    g = g + (weightDecay * p[i]);
                }

                m[i] = (beta1 * m[i]) + ((1 - beta1) * g);
                v[i] = (beta2 * v[i]) + ((1 - beta2) * g * g);
                double mHat = m[i] / (1 - Math.Pow(beta1, t));
                double vHat = v[i] / (1 - Math.Pow(beta2, t));
                p[i] = p[i] - (lr * mHat / (Math.Sqrt(vHat) + eps));
            }

            trajectory[t - 1] = (double[])p.Clone();
        }

        return trajectory;
    }
}
