using FluentAssertions;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Layers;
using Xunit;

namespace NeuralNet.Tests.Hardening;

/// <summary>
/// Every public method that writes into a caller's buffer either refuses a buffer that shares storage with
/// what it reads, or gives the same numbers as with a separate buffer.
/// </summary>
public sealed class AliasingTests
{
    private static Network<double> Square() => new(3, new DenseLayer<double>(3, 3, new Tanh<double>()));

    [Fact]
    public void NetworkPredict_IntoItsOwnInput_IsRefusedAndChangesNothing()
    {
        Network<double> network = Square();
        Matrix<double> x = RandomMatrices.Uniform<double>(new RandomSource(1), 2, 3);
        Matrix<double> copy = x.Clone();

        FluentActions.Invoking(() => network.Predict(x, x)).Should().Throw<ArgumentException>().WithParameterName("output").WithMessage("*input*");
        Matrix<double> sameArray = Matrix<double>.Build.Dense(2, 3, x.AsColumnMajorArray());
        FluentActions.Invoking(() => network.Predict(x, sameArray)).Should().Throw<ArgumentException>().WithParameterName("output");
        x.Should().BeEquivalentTo(copy);
    }

    [Fact]
    public void Predict_IntoAParameter_IsRefusedAndLeavesTheNetworkIntact()
    {
        var layer = new DenseLayer<double>(3, 3, new Tanh<double>());
        var network = new Network<double>(3, layer);
        Matrix<double> x = RandomMatrices.Uniform<double>(new RandomSource(1), 3, 3);
        Matrix<double> expected = network.Predict(x);

        FluentActions.Invoking(() => network.Predict(x, layer.Weights)).Should().Throw<ArgumentException>().WithParameterName("output").WithMessage("*weights*");
        FluentActions.Invoking(() => layer.Predict(x, layer.Weights)).Should().Throw<ArgumentException>().WithParameterName("output").WithMessage("*weights*");
        var biasesAsOutput = Matrix<double>.Build.Dense(1, 3, layer.Biases.AsArray());
        FluentActions.Invoking(() => layer.Predict(x.SubMatrix(0, 1, 0, 3), biasesAsOutput)).Should().Throw<ArgumentException>().WithMessage("*biases*");
        network.Predict(x).Should().BeEquivalentTo(expected);
    }

    [Fact]
    public void DenseLayerPredict_IntoItsOwnInput_IsRefused()
    {
        var layer = new DenseLayer<double>(3, 3);
        _ = new Network<double>(1, layer);
        Matrix<double> x = Matrix<double>.Build.Dense(2, 3, 0.5);

        FluentActions.Invoking(() => layer.Predict(x, x)).Should().Throw<ArgumentException>().WithParameterName("output");
    }

    [Fact]
    public void DropoutPredict_IntoItsOwnInput_GivesTheInput()
    {
        var dropout = new DropoutLayer<double>(3, 0.5);
        _ = new Network<double>(1, dropout);
        Matrix<double> x = RandomMatrices.Uniform<double>(new RandomSource(2), 2, 3);
        Matrix<double> copy = x.Clone();

        dropout.Predict(x, x);

        x.Should().BeEquivalentTo(copy, "dropout predicts the identity, which is correct in place");
    }

    public static TheoryData<string> Activations() => new() { "identity", "sigmoid", "tanh", "relu", "leaky_relu", "elu", "selu", "softplus", "silu", "gelu", "softmax" };

    [Theory]
    [MemberData(nameof(Activations))]
    public void BuiltInActivation_InPlace_GivesTheSameNumbersAsIntoASeparateSpan(string name)
    {
        // ActivationFunction documents that a may be the very span z (DenseLayer.Predict computes in place) and that
        // the result must not depend on it; likewise inputGradient may be outputGradient.
        ActivationFunction<double> f = Create(name);
        const int rows = 5, columns = 7; // odd sizes: vector loops and their scalar tails both run
        double[] z = RandomMatrices.Uniform<double>(new RandomSource(4), rows, columns).AsColumnMajorArray().Select(v => (v * 8) - 4).ToArray();
        double[] g = RandomMatrices.Uniform<double>(new RandomSource(5), rows, columns).AsColumnMajorArray();
        double[] a = new double[z.Length];
        f.Forward(z, a, rows, columns);
        double[] separate = new double[z.Length];
        f.Backward(z, a, g, separate, rows, columns);

        double[] inPlace = (double[])z.Clone();
        f.Forward(inPlace, inPlace, rows, columns);
        double[] gradientInPlace = (double[])g.Clone();
        f.Backward(z, a, gradientInPlace, gradientInPlace, rows, columns);

        inPlace.Should().Equal(a);
        gradientInPlace.Should().Equal(separate);
    }

    internal static ActivationFunction<double> Create(string name) => name switch
    {
        "identity" => new Identity<double>(),
        "sigmoid" => new Sigmoid<double>(),
        "tanh" => new Tanh<double>(),
        "relu" => new ReLU<double>(),
        "leaky_relu" => new LeakyReLU<double>(0.1),
        "elu" => new ELU<double>(0.7),
        "selu" => new SELU<double>(),
        "softplus" => new Softplus<double>(),
        "silu" => new SiLU<double>(),
        "gelu" => new GELU<double>(),
        _ => new Softmax<double>(),
    };
}
