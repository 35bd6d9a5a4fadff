using FluentAssertions;
using NeuralNet.Activations;
using NeuralNet.Losses;
using NeuralNet.Optimizers;
using Xunit;

namespace NeuralNet.Tests.Hardening;

/// <summary>
/// Hyper-parameters are given as doubles but used in the element type: a value that is finite as a double but
/// infinite or 0 as a float (1e39, 1e-50) is refused like any out-of-range value, naming the argument.
/// </summary>
public sealed class HyperParameterTests
{
    [Fact]
    public void ValuesBeyondFloat_AreRefusedForFloat_AndAcceptedForDouble()
    {
        FluentActions.Invoking(() => new SgdOptimizer<float>(1e39)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("LearningRate").WithMessage("*Single*");
        FluentActions.Invoking(() => new SgdOptimizer<float>(0.1) { WeightDecay = 1e39 }).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("WeightDecay");
        FluentActions.Invoking(() => new AdamOptimizer<float>(0.1, epsilon: 1e-50)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("epsilon");
        FluentActions.Invoking(() => new RmsPropOptimizer<float>(0.1, epsilon: 1e-50)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("epsilon");
        FluentActions.Invoking(() => new Huber<float>(1e39)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("delta");
        FluentActions.Invoking(() => new ELU<float>(1e39)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("alpha");

        new SgdOptimizer<double>(1e39).LearningRate.Should().Be(1e39);
        new AdamOptimizer<double>(0.1, epsilon: 1e-50).Epsilon.Should().Be(1e-50);
        new Huber<double>(1e39).Delta.Should().Be(1e39);
        new ELU<double>(1e39).Alpha.Should().Be(1e39);
    }

    [Fact]
    public void NonFiniteOrNonPositiveHyperParameters_AreRefusedNamingTheArgument()
    {
        foreach (double bad in new[] { double.NaN, double.PositiveInfinity, double.NegativeInfinity, 0, -1 })
        {
            FluentActions.Invoking(() => new SgdOptimizer<double>(bad)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("LearningRate");
            FluentActions.Invoking(() => new AdamOptimizer<double>(0.1, epsilon: bad)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("epsilon");
            FluentActions.Invoking(() => new Huber<double>(bad)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("delta");
            FluentActions.Invoking(() => new ELU<double>(bad)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("alpha");
            FluentActions.Invoking(() => new SgdOptimizer<double>(0.1) { ClipNorm = bad }).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("ClipNorm");
            FluentActions.Invoking(() => new SgdOptimizer<double>(0.1) { ClipValue = bad }).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("ClipValue");
        }
    }
}
