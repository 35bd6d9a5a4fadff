using FluentAssertions;
using NeuralNet.Optimizers;
using Xunit;

namespace NeuralNet.Tests.Optimizers;

/// <summary>RMSProp against a scalar reference written from the algorithm box of PyTorch's <c>torch.optim.RMSprop</c>.</summary>
public sealed class RmsPropOptimizerTests
{
    [Theory]
    [InlineData(0.01, 0.99, 1e-8, 0.0, false, 0.0)]
    [InlineData(0.02, 0.9, 1e-6, 0.9, false, 0.0)]
    [InlineData(0.02, 0.9, 1e-6, 0.0, true, 0.0)]
    [InlineData(0.005, 0.95, 1e-8, 0.5, true, 0.1)]
    public void RmsProp_FiveSteps_MatchScalarReference(double lr, double alpha, double eps, double momentum, bool centered, double weightDecay)
    {
        double[][] actual = OptimizerTrajectory.Run(new RmsPropOptimizer<double>(lr, alpha, eps, momentum, centered, weightDecay));
        double[][] expected = Reference(lr, alpha, eps, momentum, centered, weightDecay);
        for (int t = 0; t < expected.Length; t++)
        {
            actual[t].Should().Equal(expected[t], (a, e) => Math.Abs(a - e) <= 1e-12 * Math.Max(1, Math.Abs(e)), $"step {t + 1}");
        }
    }

    [Fact]
    public void RmsProp_FirstStep_DividesByTheRootOfTheDecayedSquare()
    {
        // v₁ = (1 − α)g², so p₁ = p₀ − η·g/(√(1 − α)|g| + ε) ≈ p₀ − η·sign(g)/√(1 − α).
        double[][] actual = OptimizerTrajectory.Run(new RmsPropOptimizer<double>(learningRate: 0.01, alpha: 0.99));
        actual[0][0].Should().BeApproximately(0.5 - (0.01 / Math.Sqrt(0.01)), 1e-6);
        actual[0][3].Should().Be(0);
    }

    [Fact]
    public void Centred_KeepsTheSquareAverageAndTheMeanGradient_AsStateArrays0And1()
    {
        // v ← αv + (1 − α)g², ḡ ← αḡ + (1 − α)g: the state a checkpoint carries. Only ḡ² enters the step, so the sign of
        // ḡ shows here and in the saved file only. α = 0.75 keeps every number exact.
        var rms = new RmsPropOptimizer<double>(0.01, alpha: 0.75, centered: true);
        var p = new Parameter<double>("w", 2, 1);
        for (int step = 0; step < 2; step++)
        {
            p.Gradients[0] = 2;
            p.Gradients[1] = -4;
            rms.Step([p]);
        }

        OptimizerState<double> state = rms.StateOf(p)!;
        state.Slot(0).ToArray().Should().Equal([(0.75 * 1) + 1, (0.75 * 4) + 4], "v: 0.25·g² = 1 and 4 after one step");
        state.Slot(1).ToArray().Should().Equal([(0.75 * 0.5) + 0.5, (0.75 * -1) - 1], "ḡ: 0.25·g = 0.5 and −1 after one step");
    }

    [Fact]
    public void RmsProp_Defaults_ArePyTorchs()
    {
        var rmsProp = new RmsPropOptimizer<double>();
        (rmsProp.LearningRate, rmsProp.Alpha, rmsProp.Epsilon, rmsProp.Momentum, rmsProp.Centered, rmsProp.WeightDecay).Should().Be((0.01, 0.99, 1e-8, 0.0, false, 0.0));
        rmsProp.Name.Should().Be("rmsprop");
    }

    [Theory]
    [InlineData(1.0, 1e-8, 0.0, "alpha")]
    [InlineData(0.99, -1e-8, 0.0, "epsilon")]
    [InlineData(0.99, 1e-8, 1.0, "momentum")]
    public void RmsProp_NonsenseHyperParameters_Throw(double alpha, double eps, double momentum, string name)
    {
        Action create = () => _ = new RmsPropOptimizer<double>(0.01, alpha, eps, momentum);
        create.Should().Throw<ArgumentOutOfRangeException>().Which.Message.Should().Contain(name);
    }

    private static double[][] Reference(double lr, double alpha, double eps, double momentum, bool centered, double weightDecay)
    {
        double[] p = (double[])OptimizerTrajectory.Start.Clone();
        double[] v = new double[p.Length], gAvg = new double[p.Length], buf = new double[p.Length];
        var trajectory = new double[OptimizerTrajectory.Gradients.Length][];
        for (int t = 0; t < trajectory.Length; t++)
        {
            for (int i = 0; i < p.Length; i++)
            {
                double g = OptimizerTrajectory.Gradients[t][i] + (weightDecay * p[i]);
                v[i] = (alpha * v[i]) + ((1 - alpha) * g * g);
                double vTilde = v[i];
                if (centered)
                {
                    gAvg[i] = (alpha * gAvg[i]) + ((1 - alpha) * g);
                    vTilde = v[i] - (gAvg[i] * gAvg[i]);
                }

                if (momentum > 0)
                {
                    buf[i] = (momentum * buf[i]) + (g / (Math.Sqrt(vTilde) + eps));
                    p[i] = p[i] - (lr * buf[i]);
                }
                else
                {
                    p[i] = p[i] - (lr * g / (Math.Sqrt(vTilde) + eps));
                }
            }

            trajectory[t] = (double[])p.Clone();
        }

        return trajectory;
    }
}
