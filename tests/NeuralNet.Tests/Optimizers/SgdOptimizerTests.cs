using FluentAssertions;
using NeuralNet.Layers;
using NeuralNet.Optimizers;
using Xunit;

namespace NeuralNet.Tests.Optimizers;

public sealed class SgdOptimizerTests
{
    // A one-layer network gives two parameters (weights 1×2, bias 1) whose gradients the tests set by hand.
    private static (Parameter<double> W, Parameter<double> B, IReadOnlyList<Parameter<double>> All) Parameters(double[] w, double b)
    {
        var layer = new DenseLayer<double>(2, 1);
        var network = new Network<double>(1, layer);
        w.CopyTo(network.Parameters[0].Values);
        network.Parameters[1].Values[0] = b;
        return (network.Parameters[0], network.Parameters[1], network.Parameters);
    }

    [Fact]
    public void PlainStep_MovesEveryValueAgainstItsGradient()
    {
        var (w, b, all) = Parameters([1.0, -2.0], 0.5);
        ((double[])[0.2, -0.4]).CopyTo(w.Gradients);
        b.Gradients[0] = -1;
        new SgdOptimizer<double>(learningRate: 0.1).Step(all);
        w.Values.ToArray().Should().Equal(1.0 - 0.1 * 0.2, -2.0 + 0.1 * 0.4);
        b.Values[0].Should().Be(0.5 + 0.1, "a negative gradient moves the bias up");
    }

    [Fact]
    public void Momentum_FollowsPyTorchsForm()
    {
        // v ← μv + g; p ← p − ηv, v starting at 0, against a scalar reference computed here.
        var (w, _, all) = Parameters([1.0, 1.0], 0);
        var sgd = new SgdOptimizer<double>(learningRate: 0.1, momentum: 0.9);
        double p = 1.0, v = 0;
        double[] gradients = [0.5, -0.25, 1.0, 0.125];
        foreach (double g in gradients)
        {
            w.Gradients[0] = g;
            sgd.Step(all);
            v = 0.9 * v + g;
            p -= 0.1 * v;
            w.Values[0].Should().BeApproximately(p, 1e-15);
        }

        sgd.Iterations.Should().Be(4);
    }

    [Fact]
    public void Nesterov_AndWeightDecay_FollowPyTorchsForm()
    {
        var (w, _, all) = Parameters([2.0, 0.0], 0);
        var sgd = new SgdOptimizer<double>(learningRate: 0.05, momentum: 0.8, nesterov: true, weightDecay: 0.1);
        double p = 2.0, v = 0;
        foreach (double g0 in new[] { 0.3, -0.6, 0.9 })
        {
            w.Gradients[0] = g0;
            sgd.Step(all);
            double g = g0 + 0.1 * p; // coupled weight decay
            v = 0.8 * v + g;
            p -= 0.05 * (g + 0.8 * v);
            w.Values[0].Should().BeApproximately(p, 1e-15);
        }
    }

    [Fact]
    public void NonsenseHyperParameters_AreRejectedWithTheValueNamed()
    {
        FluentActions.Invoking(() => new SgdOptimizer<double>(learningRate: -0.1)).Should().Throw<ArgumentOutOfRangeException>()
            .WithParameterName("LearningRate").WithMessage("learningRate must be a number > 0, finite as *(received -0.1)*");
        FluentActions.Invoking(() => new SgdOptimizer<double>(learningRate: double.NaN)).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => new SgdOptimizer<double>(momentum: 1)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("momentum");
        FluentActions.Invoking(() => new SgdOptimizer<double>(nesterov: true)).Should().Throw<ArgumentException>().WithParameterName("nesterov");
        FluentActions.Invoking(() => new SgdOptimizer<double>(weightDecay: -1)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("WeightDecay");
        var sgd = new SgdOptimizer<double>(0.1);
        FluentActions.Invoking(() => sgd.LearningRate = 0).Should().Throw<ArgumentOutOfRangeException>();
        sgd.LearningRate.Should().Be(0.1, "a rejected value leaves the old one");
    }
}
