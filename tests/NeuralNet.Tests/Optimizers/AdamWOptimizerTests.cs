using FluentAssertions;
using NeuralNet.Optimizers;
using Xunit;

namespace NeuralNet.Tests.Optimizers;

/// <summary>AdamW against the scalar reference of PyTorch's <c>torch.optim.AdamW</c> algorithm box (decay p ← p − ηλp, then Adam on the raw gradient).</summary>
public sealed class AdamWOptimizerTests
{
    [Theory]
    [InlineData(0.001, 0.9, 0.999, 1e-8, 0.01)]
    [InlineData(0.05, 0.8, 0.99, 1e-6, 0.3)]
    public void AdamW_FiveSteps_MatchScalarReference(double lr, double beta1, double beta2, double eps, double weightDecay)
    {
        double[][] actual = OptimizerTrajectory.Run(new AdamWOptimizer<double>(lr, beta1, beta2, eps, weightDecay));
        double[][] expected = AdamOptimizerTests.Reference(lr, beta1, beta2, eps, weightDecay, decoupled: true);
        for (int t = 0; t < expected.Length; t++)
        {
            actual[t].Should().Equal(expected[t], (a, e) => Math.Abs(a - e) <= 1e-12 * Math.Max(1, Math.Abs(e)), $"step {t + 1}");
        }
    }

    [Fact]
    public void AdamW_DecayIsDecoupled_DiffersFromAdamWithL2()
    {
        double[][] adamW = OptimizerTrajectory.Run(new AdamWOptimizer<double>(0.05, weightDecay: 0.3));
        double[][] adamL2 = OptimizerTrajectory.Run(new AdamOptimizer<double>(0.05, weightDecay: 0.3));
        adamW[^1].Should().NotEqual(adamL2[^1]);

        // The weight with zero gradient in step 1 (value 0) stays 0 under decay; the others shrink by ηλp on top of Adam's step.
        adamW[0][3].Should().Be(0);
    }

    [Fact]
    public void AdamW_Defaults_ArePyTorchs()
    {
        var adamW = new AdamWOptimizer<double>();
        (adamW.LearningRate, adamW.Beta1, adamW.Beta2, adamW.Epsilon, adamW.WeightDecay).Should().Be((0.001, 0.9, 0.999, 1e-8, 0.01));
        adamW.Name.Should().Be("adamw");
    }

    [Fact]
    public void AdamW_NegativeWeightDecay_Throws()
    {
        Action create = () => _ = new AdamWOptimizer<double>(weightDecay: -0.01);
        create.Should().Throw<ArgumentOutOfRangeException>().Which.Message.Should().Contain("weightDecay");
    }
}
