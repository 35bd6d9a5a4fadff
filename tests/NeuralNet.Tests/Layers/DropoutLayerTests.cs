using FluentAssertions;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Layers;
using Xunit;

namespace NeuralNet.Tests.Layers;

public sealed class DropoutLayerTests
{
    [Fact]
    public void Evaluation_AndPredict_PassTheInputThrough()
    {
        var dropout = new DropoutLayer<double>(5, 0.5);
        _ = new Network<double>(1, dropout);
        Matrix<double> x = RandomMatrices.Uniform<double>(new RandomSource(2), 3, 5);
        dropout.Forward(x, training: false).Should().BeEquivalentTo(x);
        var y = Matrix<double>.Build.Dense(3, 5);
        dropout.Predict(x, y);
        y.Should().BeEquivalentTo(x);
        GradientChecker.CheckLayer(dropout, x, new RandomSource(3)).MaxRelativeError.Should().BeLessThan(1e-9);
    }

    [Fact]
    public void Training_DropsAboutRateOfTheInputs_AndScalesTheRestToKeepTheMean()
    {
        var dropout = new DropoutLayer<double>(100, 0.3);
        _ = new Network<double>(7, dropout);
        var x = Matrix<double>.Build.Dense(200, 100, 1.0);
        Matrix<double> y = dropout.Forward(x, training: true);
        double dropped = y.Enumerate().Count(v => v == 0) / 20000.0;
        dropped.Should().BeApproximately(0.3, 0.02);
        y.Enumerate().Where(v => v != 0).Should().OnlyContain(v => Math.Abs(v - 1 / 0.7) < 1e-12);
        y.Enumerate().Average().Should().BeApproximately(1.0, 0.03);
    }

    [Fact]
    public void Training_Backward_AppliesTheSameMaskAsForward()
    {
        var dropout = new DropoutLayer<double>(6, 0.5);
        _ = new Network<double>(3, dropout);
        Matrix<double> x = RandomMatrices.Uniform<double>(new RandomSource(4), 4, 6, 0.5, 1.5);
        Matrix<double> y = dropout.Forward(x, training: true).Clone();
        Matrix<double> g = Matrix<double>.Build.Dense(4, 6, 1.0);
        Matrix<double> dx = dropout.Backward(g)!;
        dx.PointwiseMultiply(x).Should().BeEquivalentTo(y, "∂y/∂x is the mask, so (∂L/∂x)·x = y for ∂L/∂y = 1");
    }

    [Fact]
    public void SameSeed_GivesTheSameMasks()
    {
        Matrix<double> Mask(ulong seed)
        {
            var d = new DropoutLayer<double>(10, 0.5);
            _ = new Network<double>(seed, d);
            return d.Forward(Matrix<double>.Build.Dense(5, 10, 1.0), true).Clone();
        }

        Mask(9).Should().BeEquivalentTo(Mask(9));
        Mask(9).Equals(Mask(10)).Should().BeFalse();
    }

    [Fact]
    public void RateOutsideZeroToOne_IsRejected()
    {
        FluentActions.Invoking(() => new DropoutLayer<double>(3, 1.0)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("rate").WithMessage("*[0, 1)*");
        FluentActions.Invoking(() => new DropoutLayer<double>(3, -0.1)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("rate");
    }
}
