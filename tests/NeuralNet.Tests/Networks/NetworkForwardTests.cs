using FluentAssertions;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Layers;
using NeuralNet.Losses;
using Xunit;

namespace NeuralNet.Tests.Networks;

public sealed class NetworkForwardTests
{
    private static Network<double> WithDropout() => new(
        3,
        new DenseLayer<double>(2, 8, new Tanh<double>()),
        new DropoutLayer<double>(8, 0.5),
        new DenseLayer<double>(8, 1, new Sigmoid<double>()));

    [Fact]
    public void Forward_ResultIsTheCallersOwn_ALaterCallLeavesItAsItWas()
    {
        Network<double> network = WithDropout();
        var first = Matrix<double>.Build.DenseOfArray(new double[,] { { 0.1, 0.2 } });
        var second = Matrix<double>.Build.DenseOfArray(new double[,] { { 5, -7 } });

        Matrix<double> output = network.Forward(first, training: false);
        Matrix<double> copy = output.Clone();
        network.Forward(second, training: false);

        output.Should().Be(copy, "a returned output was once the last layer's buffer, overwritten by the next call");
    }

    [Fact]
    public void Forward_NotTraining_PredictsExactlyAsPredictDoes_DropoutOff()
    {
        Network<double> network = WithDropout();
        var x = Matrix<double>.Build.DenseOfArray(new double[,] { { 0.1, 0.2 }, { -1, 0.5 } });

        network.Forward(x, training: false).Should().Be(network.Predict(x));
    }

    [Fact]
    public void Forward_IntoCallersMatrix_WritesTheSameOutputAndThenBackwardRuns()
    {
        Network<double> network = WithDropout();
        var x = Matrix<double>.Build.DenseOfArray(new double[,] { { 0.1, 0.2 }, { -1, 0.5 } });
        var output = Matrix<double>.Build.Dense(2, 1);

        network.Forward(x, training: false, output);
        network.Backward(Matrix<double>.Build.Dense(2, 1, 1), new BinaryCrossEntropy<double>());

        output.Should().Be(network.Predict(x));
        network.Parameters[0].Gradient.L2Norm().Should().BeGreaterThan(0);
        FluentActions.Invoking(() => network.Forward(x, training: false, Matrix<double>.Build.Dense(3, 1)))
            .Should().Throw<ArgumentException>().WithParameterName("output");
    }
}
